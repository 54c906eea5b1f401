/**
 * The peers' installation (in .bench/peers, never in the library's dependencies) and what the report
 * says about the machine and the versions measured.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { PEERS_DIR, ROOT } from './common.js';

/** Exact versions, so runs compare. aws-sdk is the v2 SDK that aws-kinesis-writable and lifion-kinesis use. */
export const PEER_VERSIONS: Record<string, string> = {
  'aws-kinesis-writable': '4.3.0',
  'kinesis-streams': '0.7.0',
  'lifion-kinesis': '1.3.3',
  'aws-sdk': '2.1693.0',
};

const versionIn = (dir: string, name: string): string | undefined => {
  const file = join(dir, 'node_modules', name, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')).version as string) : undefined;
};

/** Installs the peers into .bench/peers unless the pinned versions are there already. */
export function ensurePeers(log: (line: string) => void): void {
  if (Object.entries(PEER_VERSIONS).every(([name, version]) => versionIn(PEERS_DIR, name) === version)) return;
  mkdirSync(PEERS_DIR, { recursive: true });
  writeFileSync(join(PEERS_DIR, 'package.json'), `${JSON.stringify({ name: 'rxjs-kinesis-bench-peers', private: true, dependencies: PEER_VERSIONS }, null, 2)}\n`);
  log(`installing the peers into ${PEERS_DIR} (npm install --prefix) ...`);
  execFileSync('npm', ['install', '--prefix', PEERS_DIR, '--no-audit', '--no-fund', '--loglevel=error'], { cwd: ROOT, stdio: 'inherit' });
}

export function versions(): Record<string, string> {
  const own = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    // Not a git checkout: the version alone says what was measured.
  }
  const out: Record<string, string> = { 'rxjs-kinesis': `${own.version} (${commit}, dist/ built by the run)` };
  for (const name of ['rxjs', '@aws-sdk/client-kinesis', '@smithy/node-http-handler', 'aws-kinesis-agg', 'kinesalite']) out[name] = versionIn(ROOT, name) ?? 'missing';
  for (const name of Object.keys(PEER_VERSIONS)) out[name] = versionIn(PEERS_DIR, name) ?? 'missing';
  return out;
}

export function machine() {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // Not Linux: os.cpus() named it.
  }
  return {
    cpu,
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

/** The 1-minute load average: other processes sharing the cores sway every figure. */
export const load1 = () => Math.round(loadavg()[0] * 100) / 100;
