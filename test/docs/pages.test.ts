import { existsSync, readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const DOCS = new URL('../../docs/', import.meta.url).pathname;
const read = (path: string) => readFileSync(`${DOCS}${path}`, 'utf8');

/** The recipes the sidebar lists (docs/.vitepress/config.ts), by page name. */
const recipes = [...read('.vitepress/config.ts').matchAll(/link: '\/recipes\/([\w-]+)'/g)].map((m) => m[1]);

const pages = suite('recipe pages: each a question with one complete snippet, its output, gotchas and a test');

pages('at least ten recipes, each titled with a question', () => {
  assert.ok(recipes.length >= 10, `${recipes.length} recipes`);
  for (const name of recipes) {
    const title = /^# (.+)$/m.exec(read(`recipes/${name}.md`))?.[1] ?? '';
    assert.ok(title.endsWith('?'), `${name}: "${title}" is not a question`);
  }
});

pages('each page includes its own code file, and the output file its test compares', () => {
  for (const name of recipes) {
    const page = read(`recipes/${name}.md`);
    const code = [...page.matchAll(/^<<< @\/recipes\/code\/([\w-]+)\.ts$/gm)].map((m) => m[1]);
    assert.equal(code, [name], `${name}: one snippet, its own file`);
    assert.ok(existsSync(`${DOCS}recipes/code/${name}.ts`));
    const output = /^<<< @\/recipes\/code\/([\w-]+)\.output\.txt\{txt\}$/m.exec(page)?.[1];
    // The browser recipe runs in Chromium (test/browser/clickstream.test.ts) and prints nothing of its own.
    if (name !== 'browser-clickstream') assert.is(output, name, `${name}: shows the output of its run`);
  }
});

pages('each page has its gotchas as Instead of this / Do this, and says how to test it', () => {
  for (const name of recipes) {
    const page = read(`recipes/${name}.md`);
    assert.match(page, /^## Gotchas$/m, name);
    assert.match(page, /^\| Instead of this \| Do this \|$/m, name);
    assert.match(page, /^## How to test it$/m, name);
  }
});

pages('each runnable recipe exports main(options) and is run by test/docs/recipes.test.ts', () => {
  const suiteFile = readFileSync(new URL('./recipes.test.ts', import.meta.url), 'utf8');
  for (const name of recipes.filter((n) => n !== 'browser-clickstream')) {
    assert.match(read(`recipes/code/${name}.ts`), /^export async function main\(/m, name);
    assert.ok(suiteFile.includes(`'../../docs/recipes/code/${name}.js'`), `${name} is imported by the recipe tests`);
  }
});

pages.run();
