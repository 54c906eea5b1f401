/**
 * Measures the library's browser code: `src/index.ts` bundled for browsers with its two dependencies inside
 * (Bottleneck's light build and js-md5), rxjs and the AWS SDK left out (an app has those anyway), minified with
 * terser, then gzipped. The library's own part is measured the same way with the two dependencies left out too.
 *
 *   npx tsx docs/scripts/browser-size.ts   # prints the figures and writes docs/.generated/browser-size.json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import terser from '@rollup/plugin-terser';
import { rollup } from 'rollup';
import { browserPlugins, SRC_INDEX } from './browser-plugins.js';

export interface Size {
  /** Bytes of the minified bundle. */
  minified: number;
  /** Bytes of the minified bundle after gzip -9. */
  gzip: number;
}

export interface BrowserSize extends Size {
  /** The library's own code alone, without Bottleneck and js-md5. */
  own: Size;
  /** What an app that imports `createProducer` alone ships (tree-shaken), dependencies included. */
  createProducerOnly: Size;
  /** The library's own part of that: `createProducer` alone, without Bottleneck and js-md5 (the performance target's figure). */
  createProducerOwn: Size;
  /** Bytes per package in the full bundle after tree-shaking, before minifying (`rxjs-kinesis` for our sources). */
  packages: Record<string, number>;
}

/** Packages an app brings anyway: never counted. */
const APP_PACKAGES = /^(rxjs|@aws-sdk\/|@smithy\/)/;
/** The library's dependencies, counted in the full figure only. */
const DEPENDENCIES = /^(bottleneck|js-md5)(\/|$)/;

/** An entry that imports only what a typical browser app does. */
const ENTRY_CREATE_PRODUCER = '\0create-producer-only';

async function bundleSize(external: (id: string) => boolean, input = SRC_INDEX): Promise<Size & { packages: Record<string, number> }> {
  const bundle = await rollup({
    input,
    external,
    plugins: [
      {
        name: 'create-producer-only',
        resolveId: (id) => (id === ENTRY_CREATE_PRODUCER ? id : null),
        load: (id) => (id === ENTRY_CREATE_PRODUCER ? `export { createProducer } from ${JSON.stringify(SRC_INDEX)};` : null),
      },
      ...browserPlugins(),
    ],
    onwarn(warning, warn) {
      if (warning.code !== 'THIS_IS_UNDEFINED') warn(warning);
    },
  });
  const { output } = await bundle.generate({ format: 'es', plugins: [terser({ module: true, compress: { passes: 2 }, format: { comments: false } })] });
  await bundle.close();
  const chunk = output[0];
  const stray = chunk.imports.filter((id) => !external(id));
  if (stray.length > 0) throw new Error(`the browser bundle imports ${stray.join(', ')}`);
  const packages: Record<string, number> = {};
  for (const [id, info] of Object.entries(chunk.modules)) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id)?.[1] ?? 'rxjs-kinesis';
    packages[name] = (packages[name] ?? 0) + info.renderedLength;
  }
  const code = Buffer.from(chunk.code);
  return { minified: code.length, gzip: gzipSync(code, { level: 9 }).length, packages };
}

export async function measureBrowserSize(): Promise<BrowserSize> {
  const ownCode = (id: string) => APP_PACKAGES.test(id) || DEPENDENCIES.test(id) || id.includes('/node_modules/bottleneck/');
  const full = await bundleSize((id) => APP_PACKAGES.test(id));
  const own = await bundleSize(ownCode);
  const createProducerOnly = await bundleSize((id) => APP_PACKAGES.test(id), ENTRY_CREATE_PRODUCER);
  const createProducerOwn = await bundleSize(ownCode, ENTRY_CREATE_PRODUCER);
  return {
    minified: full.minified,
    gzip: full.gzip,
    own: { minified: own.minified, gzip: own.gzip },
    createProducerOnly: { minified: createProducerOnly.minified, gzip: createProducerOnly.gzip },
    createProducerOwn: { minified: createProducerOwn.minified, gzip: createProducerOwn.gzip },
    packages: full.packages,
  };
}

/** Where the docs read the figures from (written at docs build time, not committed). */
export const SIZE_FILE = fileURLToPath(new URL('../.generated/browser-size.json', import.meta.url));

/** Measures and writes the figures the docs show. */
export async function writeBrowserSize(): Promise<BrowserSize> {
  const size = await measureBrowserSize();
  mkdirSync(fileURLToPath(new URL('../.generated/', import.meta.url)), { recursive: true });
  writeFileSync(SIZE_FILE, `${JSON.stringify(size, null, 2)}\n`);
  return size;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  void writeBrowserSize().then((size) => {
    console.log(`browser bundle with Bottleneck (light) and js-md5: ${kib(size.minified)} minified, ${kib(size.gzip)} gzip`);
    console.log(`the library's own code:                          ${kib(size.own.minified)} minified, ${kib(size.own.gzip)} gzip`);
    console.log(`createProducer alone, dependencies included:      ${kib(size.createProducerOnly.minified)} minified, ${kib(size.createProducerOnly.gzip)} gzip`);
    console.log(`createProducer alone, own code only:              ${kib(size.createProducerOwn.minified)} minified, ${kib(size.createProducerOwn.gzip)} gzip`);
  });
}
