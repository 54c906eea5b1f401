import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { launchChromium, runNpm, serveDir, withTimeout } from './browser.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const DIST = join(ROOT, 'docs/.vitepress/dist');
const ARTIFACTS = join(ROOT, 'test-artifacts');
/** Where the site is published (docs/.vitepress/config.ts): it is served here under the same path. */
const BASE = /export const BASE = '([^']+)'/.exec(readFileSync(join(ROOT, 'docs/.vitepress/config.ts'), 'utf8'))![1];
/** Pages loaded in Chromium at once. */
const CONCURRENCY = 4;

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? htmlFiles(path) : name.endsWith('.html') ? [path] : [];
  });
}

/** The page a site path names (under the base), as VitePress writes them (`/a/` → `/a/index.html`, `/a` → `/a.html`). */
function fileOf(sitePath: string): string | undefined {
  if (!sitePath.startsWith(BASE)) return undefined;
  const path = `/${sitePath.slice(BASE.length)}`;
  const candidates = [path, path.endsWith('/') ? `${path}index.html` : `${path}.html`].map((p) => join(DIST, p));
  return candidates.find((f) => existsSync(f) && statSync(f).isFile());
}

const idsCache = new Map<string, Set<string>>();
const idsOf = (file: string) =>
  idsCache.get(file) ?? idsCache.set(file, new Set([...readFileSync(file, 'utf8').matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]))).get(file)!;

const site = suite('the docs site, built and opened page by page in Chromium');
let server: Awaited<ReturnType<typeof serveDir>>;
let browser: Awaited<ReturnType<typeof launchChromium>>;

site.before(async () => {
  // npm test builds the site here: typedoc for the API pages, then VitePress (dead links fail the build).
  if (process.env.DOCS_SKIP_BUILD !== '1') runNpm('docs:build');
  server = await serveDir(DIST, BASE); // as published: under the base
  browser = await launchChromium();
});

site.after(async () => {
  await browser?.close();
  await server?.close();
});

site(
  'every page loads without console errors, every internal link and anchor resolves; the landing page is captured',
  withTimeout(240_000, async () => {
    const pages = htmlFiles(DIST)
      .filter((f) => !f.endsWith('404.html'))
      .map((f) => `/${relative(DIST, f)}`);
    assert.ok(pages.length >= 30, `${pages.length} pages built`);
    for (const expected of ['/index.html', '/recipes/index.html', '/api/index.html', '/reference/browser-size.html', '/guide/browser.html']) {
      assert.ok(pages.includes(expected), `${expected} is built`);
    }

    const errors: string[] = [];
    const broken: string[] = [];
    const queue = [...pages];
    const visit = async () => {
      const page = await browser.context.newPage();
      let current = '';
      page.on('console', (m) => m.type() === 'error' && errors.push(`${current}: ${m.text()}`));
      page.on('pageerror', (e) => errors.push(`${current}: ${e.message}`));
      page.on('response', (r) => r.status() >= 400 && errors.push(`${current}: ${r.status()} ${r.url()}`));
      for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
        current = path;
        const response = await page.goto(`${server.url}${BASE.slice(0, -1)}${path}`, { waitUntil: 'load' });
        if (response?.status() !== 200) errors.push(`${path}: HTTP ${response?.status()}`);
        const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
        for (const href of hrefs) {
          const url = new URL(href);
          if (url.origin !== server.url) continue;
          const file = fileOf(decodeURIComponent(url.pathname));
          if (!file) broken.push(`${path} -> ${url.pathname}`);
          else if (url.hash && !idsOf(file).has(decodeURIComponent(url.hash.slice(1)))) broken.push(`${path} -> ${url.pathname}${url.hash}`);
        }
        if (path === '/index.html') {
          mkdirSync(ARTIFACTS, { recursive: true });
          await page.screenshot({ path: join(ARTIFACTS, 'landing.png'), fullPage: true });
        }
      }
      await page.close();
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, visit));

    assert.equal(errors, [], 'console errors or failed requests');
    assert.equal([...new Set(broken)], [], 'broken internal links');
    assert.ok(existsSync(join(ARTIFACTS, 'landing.png')), 'landing screenshot saved');
    console.log(`  site: ${pages.length} pages opened in Chromium, no console error, no broken internal link; test-artifacts/landing.png`);
  }),
);

site.run();
