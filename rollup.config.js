import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
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
  { input: 'src/testing/index.ts', name: 'testing' },
];

/** The `"node"` build swaps the pure-JS MD5 of aggregates for node:crypto's. */
const nodeMd5 = {
  name: 'node-md5',
  resolveId(source, importer) {
    if (source === './checksum.js' && importer?.includes('/src/aggregation/')) {
      return fileURLToPath(new URL('./src/aggregation/checksum-node.ts', import.meta.url));
    }
    return null;
  },
};

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
  ...entries.map(({ input, name }) => bundle(input, name)),
  bundle('src/index.ts', 'index.node', [nodeMd5]),
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
