/**
 * Builds the clickstream example app for browsers into `docs/examples/clickstream/dist/`:
 *
 *   npm run build:browser-example                            # or: npx tsx docs/examples/clickstream/build.ts OUT_DIR
 *   npx rxjs-kinesis-local --port 4567 --stream demo:2       # in another terminal
 *   npx vite preview --outDir docs/examples/clickstream/dist --host 127.0.0.1   # or any static server, then open
 *   http://127.0.0.1:4173/?endpoint=http://127.0.0.1:4567&stream=demo
 */
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import { browserPlugins } from '../../scripts/browser-plugins.js';

export const OUT_DIR = fileURLToPath(new URL('./dist/', import.meta.url));

/** Bundles the app (the SDK, rxjs and the library included) into one ES module; fails on any Node built-in. */
export async function buildClickstream(outDir = OUT_DIR): Promise<{ file: string; bytes: number }> {
  const bundle = await rollup({
    input: fileURLToPath(new URL('./app.ts', import.meta.url)),
    plugins: browserPlugins(),
    onwarn(warning) {
      if (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY') return;
      throw new Error(`browser build: ${warning.code}: ${warning.message}`);
    },
  });
  mkdirSync(outDir, { recursive: true });
  // The SDK has a dynamic import; one file keeps the app a single script.
  const { output } = await bundle.write({ dir: outDir, format: 'es', entryFileNames: 'app.js', inlineDynamicImports: true, sourcemap: true });
  await bundle.close();
  const imports = output.flatMap((chunk) => ('imports' in chunk ? chunk.imports : []));
  if (imports.length > 0) throw new Error(`the browser build still imports ${imports.join(', ')}`);
  copyFileSync(fileURLToPath(new URL('./index.html', import.meta.url)), join(outDir, 'index.html'));
  const file = join(outDir, 'app.js');
  return { file, bytes: statSync(file).size };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  void buildClickstream(process.argv[2]).then(({ file, bytes }) => console.log(`built ${file} (${Math.round(bytes / 1024)} KiB)`));
}
