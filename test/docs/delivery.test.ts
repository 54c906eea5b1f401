import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ERROR_TABLE, type ErrorRule } from '../../src/kinesis/error-table.js';

const PAGE = readFileSync(new URL('../../docs/concepts/delivery.md', import.meta.url), 'utf8');

/** The page's sections on errors, by heading, and the row of the table each one describes. */
const SECTIONS: Record<string, ErrorRule> = {
  'Retried; nothing was stored': { kind: 'retryable', ambiguous: false },
  'Retried; may have been stored': { kind: 'retryable', ambiguous: true },
  'Split until the bad entry fails alone': { kind: 'invalid', ambiguous: false },
  'Nothing can be written: everything held fails': { kind: 'stream', ambiguous: false },
};

/** The codes each `### heading` lists on its `Codes:` line. */
function listedCodes(): Map<string, string[]> {
  const listed = new Map<string, string[]>();
  for (const part of PAGE.split(/^### /m).slice(1)) {
    const heading = part.slice(0, part.indexOf('\n'));
    const line = /^Codes: (.+)$/m.exec(part)?.[1];
    if (line !== undefined) listed.set(heading, [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1]));
  }
  return listed;
}

const delivery = suite('docs/concepts/delivery.md lists every code of ERROR_TABLE under its kind');

delivery('the page has one Codes: line per kind of error, and no other', () => {
  assert.equal([...listedCodes().keys()].sort(), Object.keys(SECTIONS).sort());
});

delivery('every code of the table is listed, in the section of its kind and fate', () => {
  const listed = listedCodes();
  const where = (code: string) => [...listed].filter(([, codes]) => codes.includes(code)).map(([heading]) => heading);
  for (const [code, rule] of Object.entries(ERROR_TABLE)) {
    const headings = where(code);
    assert.is(headings.length, 1, `${code} is listed ${headings.length} times`);
    assert.equal(SECTIONS[headings[0]], { kind: rule.kind, ambiguous: rule.ambiguous }, `${code} is listed under "${headings[0]}"`);
  }
});

delivery('every code the page lists is in the table', () => {
  const unknown = [...listedCodes().values()].flat().filter((code) => !Object.hasOwn(ERROR_TABLE, code));
  assert.equal(unknown, []);
});

delivery.run();
