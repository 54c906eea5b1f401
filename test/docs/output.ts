import { readFileSync, writeFileSync } from 'node:fs';
import { format } from 'node:util';
import * as assert from 'uvu/assert';

const CODE_DIR = new URL('../../docs/recipes/code/', import.meta.url).pathname;

/** `UPDATE_DOCS_OUTPUT=1` rewrites the documented outputs from this run instead of comparing. */
const UPDATE = process.env.UPDATE_DOCS_OUTPUT === '1';

/** Runs `work` and returns what it printed with console.log, line by line. */
export async function printed<T>(work: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void lines.push(...format(...args).split('\n'));
  try {
    return { result: await work(), lines };
  } finally {
    console.log = log;
  }
}

/** Timings, counts and ids vary between runs: compare the shape of a line, its words. */
export const shape = (line: string) => line.replace(/\d+(\.\d+)?/g, '#');

/**
 * Checks a recipe's output against the output its page shows (`docs/recipes/code/NAME.output.txt`).
 * `exact`: line for line. `shapes`: the same lines with numbers masked, in any count and order.
 */
export function matchesDocumentedOutput(name: string, lines: string[], mode: 'exact' | 'shapes', normalize = shape): void {
  const file = `${CODE_DIR}${name}.output.txt`;
  if (UPDATE) writeFileSync(file, `${lines.join('\n')}\n`);
  const documented = readFileSync(file, 'utf8').trimEnd().split('\n');
  if (mode === 'exact') return assert.equal(lines, documented, `${name}: the output differs from its page`);
  const seen = new Set(lines.map(normalize));
  const shown = new Set(documented.map(normalize));
  assert.equal([...seen].filter((s) => !shown.has(s)), [], `${name}: lines its page does not show`);
  assert.equal([...shown].filter((s) => !seen.has(s)), [], `${name}: lines its page shows that it did not print`);
}
