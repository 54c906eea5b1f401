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
  if (out.length > 5_000_000) out = out.slice(-2_500_000);
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
  const failures = failureReports(plain);
  if (failures.length > 0) {
    // Repeated last, so a log cut to its tail still names what failed and why.
    console.log(`\nFailed (${failures.length}):\n\n${failures.join('\n\n')}`);
  }
  console.log(`\n${passed} passed, ${failed} failed`);
  if (total === 0) {
    console.error('No test ran: the pattern matched no suite.');
    process.exit(1);
  }
  process.exit(code === 0 && failed === 0 ? 0 : 1);
});

/**
 * uvu's FAIL blocks, each under the name of its file, with the stack frames of node_modules left out.
 * @param {string} plain the run's output without colours
 * @returns {string[]}
 */
function failureReports(plain) {
  const reports = [];
  let file = '';
  let block;
  const close = () => {
    if (block) reports.push(block.slice(0, 30).join('\n'));
    block = undefined;
  };
  for (const line of plain.split('\n')) {
    if (/^\S.*\.test\.ts$/.test(line)) {
      close();
      file = line.trim();
    } else if (/^\s+FAIL\s/.test(line)) {
      close();
      block = [`${file}: ${line.trim()}`];
    } else if (/^\s+Total:\s/.test(line)) {
      close();
    } else if (block && line.trim() !== '' && !line.includes('node_modules')) {
      block.push(line);
    }
  }
  close();
  return reports;
}
