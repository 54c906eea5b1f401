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
/** After uvu's closing summary, the process has this long to exit before it counts as held open. */
const EXIT_AFTER_SUMMARY_MS = 20_000;
let exitTimer;
let out = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  out += chunk.toString();
  if (out.length > 200_000) out = out.slice(-100_000);
  // Every suite has run once uvu prints its duration: what keeps it alive is a handle a failed test left open.
  if (exitTimer === undefined && /Duration:\s+[\d.]+ms/.test(out.replace(/\x1b\[[0-9;]*m/g, ''))) {
    exitTimer = setTimeout(() => {
      console.error(`\nThe suites ended, but the process did not exit within ${EXIT_AFTER_SUMMARY_MS / 1000} s: a handle was left open (a failed test's work still running).`);
      process.kill(-child.pid, 'SIGKILL');
    }, EXIT_AFTER_SUMMARY_MS);
  }
});
child.on('close', (code) => {
  clearTimeout(limit);
  clearTimeout(exitTimer);
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
