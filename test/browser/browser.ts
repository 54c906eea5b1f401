import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { findChromium } from '../setup/find-tools.js';

export const CHROMIUM = findChromium() ?? '/usr/bin/chromium';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Launches headless Chromium on a fresh profile. A missing Chromium fails the test with a loud message, never
 * a silent skip: the browser proofs are the point of these suites.
 */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM)) {
    const line = '!'.repeat(100);
    console.error(`\n${line}\n!! Chromium is missing at ${CHROMIUM}: the browser tests cannot run.`);
    console.error(`!! npm test installs it (apt-get install -y chromium) or says how; CHROMIUM_PATH overrides the path.`);
    console.error(`!! Failing rather than skipping.\n${line}\n`);
    throw new Error(`Chromium is missing at ${CHROMIUM}`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'rxjs-kinesis-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves a folder on 127.0.0.1 under `base` (a site published at `/name/`): `/x/` answers `/x/index.html`,
 * `/x` answers `/x.html` when that exists. 404s are counted, and so is any path outside `base`.
 */
export async function serveDir(root: string, base = '/'): Promise<{ url: string; notFound: string[]; close(): Promise<void> }> {
  const notFound: string[] = [];
  const server = http.createServer((req, res) => {
    const requested = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const path = `/${requested.slice(base.length)}`;
    const candidates = [path, path.endsWith('/') ? `${path}index.html` : `${path}.html`].map((p) => join(root, normalize(p)));
    const file = requested.startsWith(base) ? candidates.find((f) => f.startsWith(root) && existsSync(f) && statSync(f).isFile()) : undefined;
    if (!file) {
      notFound.push(requested);
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('not found');
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    notFound,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Fails a test that would otherwise hang: uvu has no timeouts of its own. */
export function withTimeout<T>(ms: number, work: () => Promise<T>): () => Promise<T> {
  return () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`test timed out after ${ms} ms`)), ms);
    });
    return Promise.race([work(), timeout]).finally(() => clearTimeout(timer));
  };
}

const ROOT = new URL('../../', import.meta.url).pathname;

/** Runs a TypeScript script of the repository with tsx in a child process; its output goes to ours. */
export function runScript(script: string, ...args: string[]): void {
  execFileSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Runs an npm script of the repository; its output goes to ours. */
export function runNpm(script: string): void {
  execFileSync('npm', ['run', '--silent', script], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
}
