/**
 * What the test command does about the system tools its suites need: nothing, install them, or stop
 * at once with the command to run. Pure, so every case is unit-tested.
 */

/** A program some suites need that npm cannot bring, and the Debian package that has it. */
export interface SystemTool {
  /** The program looked up on PATH. */
  command: string;
  /** The Debian package that installs it. */
  aptPackage: string;
  /** The suites that need it, for the messages. */
  neededBy: string;
}

export const SYSTEM_TOOLS: readonly SystemTool[] = [
  { command: 'redis-server', aptPackage: 'redis-server', neededBy: 'the shared-limits suites' },
  { command: 'chromium', aptPackage: 'chromium', neededBy: 'the browser suites' },
];

/** What the machine allows. */
export interface Host {
  /** Running as root (uid 0). */
  isRoot: boolean;
  /** `apt-get` is on PATH. */
  hasAptGet: boolean;
}

export type ToolPlan =
  | { kind: 'ready' }
  /** Commands to run in order, each as [program, ...args]. */
  | { kind: 'install'; packages: string[]; commands: string[][] }
  | { kind: 'stop'; message: string };

/** Waits this long for another apt or dpkg run to release its lock before failing, in s. */
export const APT_LOCK_TIMEOUT_S = 300;

const aptGet = (...args: string[]) => ['apt-get', '-o', `DPkg::Lock::Timeout=${APT_LOCK_TIMEOUT_S}`, ...args];

const listing = (missing: readonly SystemTool[]) => missing.map((t) => `${t.command} (${t.neededBy})`).join(' and ');

/** Decides what to do about the tools that are `missing` on `host`. */
export function planTools(missing: readonly SystemTool[], host: Host): ToolPlan {
  if (missing.length === 0) return { kind: 'ready' };
  const packages = missing.map((t) => t.aptPackage);
  if (host.hasAptGet && host.isRoot) {
    return { kind: 'install', packages, commands: [aptGet('update', '-q'), aptGet('install', '-y', '-q', '--no-install-recommends', ...packages)] };
  }
  const how = host.hasAptGet
    ? `Run this once, then npm test again:\n\n  sudo apt-get install -y ${packages.join(' ')}\n`
    : `Install ${packages.join(' and ')} with the system's package manager, then run npm test again` +
      ` (CHROMIUM_PATH points the browser suites at a Chromium that is not on PATH as chromium).\n`;
  return { kind: 'stop', message: `npm test needs ${listing(missing)}, which npm cannot install.\n${how}` };
}

/** The message when the tools are still missing after an install that reported success. */
export function stillMissing(missing: readonly SystemTool[]): string {
  return `${listing(missing)} still not found after apt-get installed ${missing.map((t) => t.aptPackage).join(' ')}: check PATH (it needs /usr/bin) and CHROMIUM_PATH.\n`;
}
