/**
 * Measures the library's own browser code: `src/index.ts` bundled for browsers with Bottleneck (light) and
 * js-md5 inside, rxjs and the AWS SDK left out (an app has those anyway), minified with terser, then gzipped.
 *
 *   npx tsx docs/scripts/browser-size.ts   # prints the figures and writes docs/.generated/browser-size.json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import terser from '@rollup/plugin-terser';
import { rollup } from 'rollup';
import { browserPlugins, SRC_INDEX } from './browser-plugins.js';

export interface BrowserSize {
  /** Bytes of the minified bundle. */
  minified: number;
  /** Bytes of the minified bundle after gzip -9. */
  gzip: number;
  /** Modules bundled, by package (`rxjs-kinesis` for our own sources), with their share of the minified bytes. */
  modules: Record<string, number>;
}

/** Packages an app brings anyway: left out of the figure. */
const EXTERNAL = /^(rxjs|@aws-sdk\/|@smithy\/)/;

export async function measureBrowserSize(): Promise<BrowserSize> {
  const bundle = await rollup({
    input: SRC_INDEX,
    external: (id) => EXTERNAL.test(id),
    plugins: browserPlugins(),
    onwarn(warning, warn) {
      if (warning.code === 'THIS_IS_UNDEFINED') return;
      warn(warning);
    },
  });
  const { output } = await bundle.generate({ format: 'es', plugins: [terser({ format: { comments: false } })] });
  await bundle.close();
  const chunk = output[0];
  const imports = chunk.imports.filter((id) => !EXTERNAL.test(id));
  if (imports.length > 0) throw new Error(`the browser bundle still imports ${imports.join(', ')}`);
  const modules: Record<string, number> = {};
  for (const [id, info] of Object.entries(chunk.modules)) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id)?.[1] ?? 'rxjs-kinesis';
    modules[name] = (modules[name] ?? 0) + info.renderedLength;
  }
  const code = Buffer.from(chunk.code);
  return { minified: code.length, gzip: gzipSync(code, { level: 9 }).length, modules };
}

/** Where the docs read the figure from (written at docs build time, not committed). */
export const SIZE_FILE = fileURLToPath(new URL('../.generated/browser-size.json', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const size = await measureBrowserSize();
  mkdirSync(fileURLToPath(new URL('../.generated/', import.meta.url)), { recursive: true });
  writeFileSync(SIZE_FILE, `${JSON.stringify({ ...size, measuredAt: new Date().toISOString() }, null, 2)}\n`);
  console.log(`browser bundle: ${(size.minified / 1024).toFixed(1)} KiB minified, ${(size.gzip / 1024).toFixed(1)} KiB gzip`);
  for (const [name, bytes] of Object.entries(size.modules)) console.log(`  ${name.padEnd(14)} ${bytes} bytes before minify`);
}
