import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import esbuild from 'rollup-plugin-esbuild';
import dts from 'rollup-plugin-dts';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const deps = [
  ...Object.keys(pkg.dependencies ?? {}),
  ...Object.keys(pkg.peerDependencies ?? {}),
  ...builtinModules,
];
// A package import (`rxjs`, `rxjs/operators`, `node:http`) stays external; only our sources are bundled.
const external = (id) => id.startsWith('node:') || deps.some((d) => id === d || id.startsWith(`${d}/`));

const entries = [
  { input: 'src/index.ts', name: 'index' },
  { input: 'src/kpl/index.ts', name: 'kpl' },
  { input: 'src/kinesis/index.ts', name: 'kinesis' },
  { input: 'src/testing/index.ts', name: 'testing' },
  { input: 'src/otel/index.ts', name: 'otel' },
  { input: 'src/cloudwatch/index.ts', name: 'cloudwatch' },
];
/** Entries with a `"node"` build: they reach a module that Node has a faster or a real version of. */
const nodeEntries = ['index', 'kpl', 'kinesis'];

/**
 * The `"node"` build swaps modules for Node's faster built-ins: the pure-JS MD5 of aggregates for
 * node:crypto's, TextEncoder and btoa for Buffer; and `toWritable`, which throws in browsers, for the one
 * built on node:stream. src/index-node.ts makes the same swaps for code run from the sources.
 */
const NODE_SWAPS = [
  { from: 'src/kpl/checksum.ts', to: 'src/kpl/checksum-node.ts' },
  { from: 'src/utf8/encode.ts', to: 'src/utf8/encode-node.ts' },
  { from: 'src/base64/base64.ts', to: 'src/base64/base64-node.ts' },
  { from: 'src/to-writable.ts', to: 'src/to-writable-node.ts' },
];
/**
 * The browser build (the entries above without the `"node"` condition) leaves out what cannot run in a
 * browser: the Redis-shared limiters (Redis needs TCP). docs/scripts/browser-plugins.ts makes the same swap.
 */
export const BROWSER_SWAPS = [{ from: 'src/throttle/shared-limiters.ts', to: 'src/throttle/shared-limiters-browser.ts' }];
const ROOT = fileURLToPath(new URL('.', import.meta.url));
const swapping = (name, swaps) => ({
  name,
  resolveId(source, importer) {
    if (!importer || !source.startsWith('.')) return null;
    const target = resolve(dirname(importer), source.replace(/\.js$/, '.ts'));
    const swap = swaps.find((s) => resolve(ROOT, s.from) === target);
    return swap ? resolve(ROOT, swap.to) : null;
  },
});
const nodeSwaps = swapping('node-swaps', NODE_SWAPS);
const browserSwaps = swapping('browser-swaps', BROWSER_SWAPS);

const bundle = (input, name, extra = []) => ({
  input,
  external,
  plugins: [...extra, esbuild({ target: 'es2022' })],
  output: [
    { file: `dist/${name}.mjs`, format: 'es', sourcemap: true },
    { file: `dist/${name}.cjs`, format: 'cjs', sourcemap: true, exports: 'named' },
  ],
});

export default [
  ...entries.map(({ input, name }) => bundle(input, name, nodeEntries.includes(name) ? [browserSwaps] : [])),
  ...entries.filter(({ name }) => nodeEntries.includes(name)).map(({ input, name }) => bundle(input, `${name}.node`, [nodeSwaps])),
  ...entries.map(({ input, name }) => ({
    input,
    external,
    plugins: [dts()],
    output: [
      { file: `dist/${name}.d.ts`, format: 'es' },
      { file: `dist/${name}.d.cts`, format: 'es' },
    ],
  })),
  {
    input: 'src/testing/cli.ts',
    external,
    plugins: [esbuild({ target: 'es2022' })],
    output: { file: 'dist/local-cli.mjs', format: 'es', banner: '#!/usr/bin/env node' },
  },
];
