import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The path of an executable `command` on PATH, or undefined. */
export function which(command: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** The Chromium the browser suites launch: CHROMIUM_PATH, else `chromium` on PATH. */
export function findChromium(): string | undefined {
  return process.env.CHROMIUM_PATH ?? which('chromium');
}
