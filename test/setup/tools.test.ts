import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SYSTEM_TOOLS, planTools } from './plan-tools.js';

const [redis, chromium] = SYSTEM_TOOLS;

const plan = suite('npm test: what it does about missing system tools');

plan('nothing missing: ready, whatever the host', () => {
  assert.equal(planTools([], { isRoot: false, hasAptGet: false }), { kind: 'ready' });
  assert.equal(planTools([], { isRoot: true, hasAptGet: true }), { kind: 'ready' });
});

plan('root with apt-get: updates the lists, then installs only what is missing, non-interactively', () => {
  const p = planTools([chromium], { isRoot: true, hasAptGet: true });
  assert.is(p.kind, 'install');
  if (p.kind !== 'install') return;
  assert.equal(p.packages, ['chromium']);
  assert.equal(p.commands.map((c) => c.filter((a) => !a.startsWith('DPkg::') && a !== '-o')), [
    ['apt-get', 'update', '-q'],
    ['apt-get', 'install', '-y', '-q', '--no-install-recommends', 'chromium'],
  ]);
  const both = planTools([redis, chromium], { isRoot: true, hasAptGet: true });
  assert.equal(both.kind === 'install' && both.commands[1].slice(-2), ['redis-server', 'chromium']);
});

plan('apt-get but not root: stops with the one sudo command', () => {
  const p = planTools([redis, chromium], { isRoot: false, hasAptGet: true });
  assert.is(p.kind, 'stop');
  if (p.kind !== 'stop') return;
  assert.match(p.message, /^  sudo apt-get install -y redis-server chromium$/m);
  assert.match(p.message, /redis-server \(the shared-limits suites\) and chromium \(the browser suites\)/);
});

plan('no apt-get: stops and names the packages (root or not)', () => {
  for (const isRoot of [true, false]) {
    const p = planTools([redis], { isRoot, hasAptGet: false });
    assert.is(p.kind, 'stop');
    assert.ok(p.kind === 'stop' && p.message.includes('Install redis-server with the system'), JSON.stringify(p));
    assert.ok(p.kind === 'stop' && !p.message.includes('sudo'));
  }
});

plan.run();

const script = suite('npm test stops before running anything when it cannot install the tools');

const ROOT = new URL('../../', import.meta.url).pathname;
/** Another user than root, for the not-root case. */
const NOBODY = 65534;

/** A PATH that has everything of /usr/local/bin and /usr/bin except `hidden`. */
function pathWithout(hidden: string[]): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'rxjs-kinesis-path-'));
  chmodSync(dir, 0o755);
  for (const from of ['/usr/local/bin', '/usr/bin']) {
    for (const name of readdirSync(from)) {
      if (hidden.includes(name) || existsSync(join(dir, name))) continue; // the first directory wins, as on PATH
      symlinkSync(join(from, name), join(dir, name));
    }
  }
  return { path: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The test command's first step as one plain script in a directory anyone can read: another user may not
 * reach the checkout (a clone under `mktemp -d` is open to root alone).
 */
function bundledEnsureTools(): { dir: string; script: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ensure-tools-'));
  chmodSync(dir, 0o755);
  const script = join(dir, 'ensure-tools.mjs');
  buildSync({ entryPoints: [join(ROOT, 'test/setup/ensure-tools.ts')], bundle: true, platform: 'node', format: 'esm', outfile: script, logLevel: 'silent' });
  chmodSync(script, 0o644);
  return { dir, script };
}

/** Runs the test command's first step with `hidden` off PATH; as root, `asUser` runs it as another user. */
function ensureTools(hidden: string[], asUser?: number) {
  const { path, remove } = pathWithout(hidden);
  const other = asUser !== undefined && process.getuid?.() === 0;
  const bundled = other ? bundledEnsureTools() : undefined;
  try {
    const { CHROMIUM_PATH: _, ...env } = process.env;
    const node = bundled ? [process.execPath, bundled.script] : [process.execPath, '--import', 'tsx', 'test/setup/ensure-tools.ts'];
    const [program, ...args] = other ? ['setpriv', `--reuid=${asUser}`, `--regid=${asUser}`, '--clear-groups', ...node] : node;
    return spawnSync(program, args, { cwd: bundled?.dir ?? ROOT, env: { ...env, PATH: path }, encoding: 'utf8', timeout: 60_000 });
  } finally {
    remove();
    if (bundled) rmSync(bundled.dir, { recursive: true, force: true });
  }
}

script('no redis-server, no chromium, no apt-get: exit 1 at once, naming both', () => {
  const run = ensureTools(['redis-server', 'chromium', 'apt-get']);
  assert.is(run.status, 1, run.stderr);
  assert.match(run.stderr, /npm test needs redis-server \(the shared-limits suites\) and chromium \(the browser suites\)/);
  assert.match(run.stderr, /Install redis-server and chromium with the system's package manager/);
  assert.is(run.stdout, '', 'nothing ran');
});

script('apt-get there but not root: exit 1 at once with the sudo command for what is missing', () => {
  const run = ensureTools(['chromium'], NOBODY);
  assert.is(run.status, 1, run.stderr);
  assert.match(run.stderr, /^  sudo apt-get install -y chromium$/m);
  assert.not.match(run.stderr, /redis-server/);
  assert.is(run.stdout, '', 'nothing ran');
});

script.run();
