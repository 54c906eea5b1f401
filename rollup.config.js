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
 * The modules each build swaps (src/build-swaps.json, also read by docs/scripts/browser-plugins.ts):
 * - `node`: Node's faster built-ins: the pure-JS MD5 of aggregates for node:crypto's, TextEncoder and
 *   btoa for Buffer; and `toWritable`, which throws in browsers, for the one built on node:stream.
 *   src/index-node.ts makes the same swaps for code run from the sources.
 * - `browser` (the entries above without the `"node"` condition): what cannot run in a browser, the
 *   Redis-shared limiters (Redis needs TCP).
 */
const SWAPS = JSON.parse(readFileSync(new URL('./src/build-swaps.json', import.meta.url), 'utf8'));
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
const nodeSwaps = swapping('node-swaps', SWAPS.node);
const browserSwaps = swapping('browser-swaps', SWAPS.browser);

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
