/**
 * Writes what the docs read at build time into docs/.generated/ (not committed): the browser bundle size,
 * measured now, and the options table, taken from the README so the two never disagree.
 *
 *   npx tsx docs/scripts/prepare.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeBrowserSize } from './browser-size.js';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const GENERATED = fileURLToPath(new URL('../.generated/', import.meta.url));

/** The body of the README's `## heading` section: from after its heading to the next `## `. */
export function readmeSection(heading: string, readme = readFileSync(README, 'utf8')): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README.md has no "## ${heading}" section`);
  const body = readme.slice(start + heading.length + 5);
  const end = body.indexOf('\n## ');
  return (end < 0 ? body : body.slice(0, end)).trim();
}

export async function prepare(): Promise<void> {
  mkdirSync(GENERATED, { recursive: true });
  writeFileSync(`${GENERATED}options.md`, `${readmeSection('Options')}\n`);
  const size = await writeBrowserSize();
  console.log(`docs/.generated: options table, browser size ${size.gzip} bytes gzip (own code ${size.own.gzip})`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void prepare();
