// Runs every uvu suite under test/ (files ending in .test.ts) and fails when none ran.
// uvu exits 0 on a pattern that matches nothing; this wrapper turns that into a failure and
// prints the closing "N passed, N failed" line.
import { spawn } from 'node:child_process';

const args = ['uvu', '-r', 'tsx', 'test', process.argv[2] ?? '\\.test\\.ts$'];
/** Every suite together takes a few minutes; a run still going after this has hung (a handle left open). */
const RUN_LIMIT_MS = 30 * 60 * 1000;
const child = spawn('npx', args, { stdio: ['ignore', 'pipe', 'inherit'], env: process.env, detached: true });
const limit = setTimeout(() => {
  console.error(`\nThe suites did not finish within ${RUN_LIMIT_MS / 60000} minutes: something holds the process open.`);
  process.kill(-child.pid, 'SIGKILL'); // the whole group: npx, uvu and what the suites started
}, RUN_LIMIT_MS);
let out = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  out += chunk.toString();
  if (out.length > 200_000) out = out.slice(-100_000);
});
child.on('close', (code) => {
  clearTimeout(limit);
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const total = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? 0);
  const passed = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? 0);
  const failed = total - passed;
  console.log(`\n${passed} passed, ${failed} failed`);
  if (total === 0) {
    console.error('No test ran: the pattern matched no suite.');
    process.exit(1);
  }
  process.exit(code === 0 && failed === 0 ? 0 : 1);
});
