import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import alias from '@rollup/plugin-alias';
import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import type { Plugin } from 'rollup';
import esbuild from 'rollup-plugin-esbuild';

const require = createRequire(import.meta.url);

/** The library's sources, so browser bundles and docs use what `src/` says today, not a stale `dist/`. */
export const SRC_INDEX = fileURLToPath(new URL('../../src/index.ts', import.meta.url));

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The modules the package's browser build swaps (src/build-swaps.json, read by rollup.config.js too): the same here. */
const BROWSER_SWAPS: { from: string; to: string }[] = JSON.parse(readFileSync(resolve(ROOT, 'src/build-swaps.json'), 'utf8')).browser;

function browserSwaps(): Plugin {
  return {
    name: 'browser-swaps',
    resolveId(source, importer) {
      if (!importer || !source.startsWith('.') || importer.includes('/node_modules/')) return null;
      const target = resolve(dirname(importer), source.replace(/\.js$/, '.ts'));
      const swap = BROWSER_SWAPS.find((s) => resolve(ROOT, s.from) === target);
      return swap ? resolve(ROOT, swap.to) : null;
    },
  };
}

/**
 * Rollup plugins that turn the library (and whatever an app imports) into browser code: no Node
 * built-ins, Bottleneck without its Redis clustering, the `browser` fields of every package.
 */
export function browserPlugins(): Plugin[] {
  return [
    browserSwaps(),
    alias({
      entries: [
        { find: /^rxjs-kinesis$/, replacement: SRC_INDEX },
        // Bottleneck's main entry pulls in its clustering code (Redis, Node's events); `light` is the browser build.
        { find: /^bottleneck$/, replacement: require.resolve('bottleneck/light.js') },
      ],
    }),
    replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify('production') } }),
    nodeResolve({ browser: true, preferBuiltins: false, extensions: ['.mjs', '.js', '.json', '.ts'] }),
    // js-md5 requires 'crypto' and 'buffer' only on the branch it takes under Node: they become empty modules.
    commonjs(),
    json(),
    typescriptOnly(esbuild({ target: 'es2020', tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) })),
  ];
}

/**
 * rollup-plugin-esbuild resolves every relative import itself (our `./x.js` is `./x.ts`), which inside packages
 * would skip node-resolve's `browser` field mappings (the SDK's `./runtimeConfig` -> `./runtimeConfig.browser`).
 */
function typescriptOnly(plugin: Plugin): Plugin {
  const resolveId = plugin.resolveId as Extract<Plugin['resolveId'], (...args: never[]) => unknown>;
  return {
    ...plugin,
    resolveId(id, importer, options) {
      if (importer?.includes('/node_modules/')) return null;
      return resolveId.call(this, id, importer, options);
    },
  };
}
