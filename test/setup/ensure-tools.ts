/**
 * The first step of `npm test`: makes sure the system tools the suites need are there. Missing ones
 * are installed with apt-get when this runs as root on a machine that has it; otherwise it stops at
 * once, before anything else runs, with the command to run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium, which } from './find-tools.js';
import { SYSTEM_TOOLS, planTools, stillMissing, type SystemTool } from './plan-tools.js';

const found = (tool: SystemTool) => {
  if (tool.command !== 'chromium') return which(tool.command) !== undefined;
  const chromium = findChromium();
  return chromium !== undefined && existsSync(chromium);
};
const missingTools = () => SYSTEM_TOOLS.filter((t) => !found(t));

const plan = planTools(missingTools(), { isRoot: process.getuid?.() === 0, hasAptGet: which('apt-get') !== undefined });
if (plan.kind === 'stop') {
  process.stderr.write(`\n${plan.message}\n`);
  process.exit(1);
}
if (plan.kind === 'install') {
  console.log(`Installing ${plan.packages.join(' ')} (the suites need them; npm cannot bring them):`);
  for (const [program, ...args] of plan.commands) {
    console.log(`  ${program} ${args.join(' ')}`);
    const run = spawnSync(program, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (run.status !== 0) {
      process.stderr.write(`\n${program} ${args.join(' ')} failed (${run.error?.message ?? `exit ${run.status ?? run.signal}`}).\n`);
      process.exit(1);
    }
  }
  const left = missingTools();
  if (left.length > 0) {
    process.stderr.write(`\n${stillMissing(left)}`);
    process.exit(1);
  }
}
