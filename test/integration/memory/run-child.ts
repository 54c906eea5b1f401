import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface ChildOptions {
  /** Script under test/integration/memory/, e.g. `hot-source.ts`. */
  script: string;
  config: object;
  /** Called for each `{ event }` line the child prints; `reply` writes a JSON line to its stdin. */
  onEvent?: (event: Record<string, unknown>, reply: (message: object) => void) => void;
  /** Kill the child and fail after this long. */
  timeoutMs: number;
  /** V8's old-space limit for the child, in MiB: generous, so the bound measured is the producer's. */
  maxOldSpaceMiB?: number;
  /** Expose `gc()` to the child, for retained-memory probes. */
  exposeGc?: boolean;
}

/**
 * Runs a child on its own Node process (`node --import tsx`) so its RSS is the measured case alone,
 * and resolves with the JSON of its last line.
 */
export function runChild<R>(o: ChildOptions): Promise<R> {
  const script = fileURLToPath(new URL(o.script, import.meta.url));
  const flags = [`--max-old-space-size=${o.maxOldSpaceMiB ?? 4096}`, ...(o.exposeGc ? ['--expose-gc'] : [])];
  const args = ['--import', 'tsx', ...flags, script, JSON.stringify(o.config)];
  return new Promise<R>((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let stdout = '';
    let stderr = '';
    let last: string | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      let newline: number;
      while ((newline = stdout.indexOf('\n')) >= 0) {
        const line = stdout.slice(0, newline).trim();
        stdout = stdout.slice(newline + 1);
        if (line === '') continue;
        last = line;
        deliver(line);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-8000);
    });
    const reply = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
    const deliver = (line: string) => {
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return; // Not ours: a library printed to stdout.
      }
      if (typeof message.event === 'string') o.onEvent?.(message, reply);
    };
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let result: (R & { error?: { message: string; stack?: string } }) | undefined;
      try {
        result = last === undefined ? undefined : JSON.parse(last);
      } catch {
        result = undefined;
      }
      if (code === 0 && result !== undefined && result.error === undefined) return resolve(result);
      const why = signal === 'SIGKILL' ? `timed out after ${o.timeoutMs} ms` : `exited with ${code ?? signal}`;
      reject(new Error(`${o.script} ${why}: ${result?.error?.stack ?? last ?? ''}\n${stderr}`));
    });
  });
}
