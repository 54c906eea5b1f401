/**
 * The parent's side of the child processes: the local Kinesis server (test/helpers/local-kinesis-process.ts)
 * and one worker per measured case.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LocalKinesisOptions } from '../../../src/testing/types.js';
import { startLocalKinesisProcess, type LocalKinesisProcess } from '../../helpers/local-kinesis-process.js';
import { ROOT } from './common.js';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** Environment of every child: quiet SDKs, and the v2 SDK's maintenance notice off. */
export const CHILD_ENV = {
  ...process.env,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
};

export type Server = LocalKinesisProcess;

/** Starts the local Kinesis of the built package in its own process and resolves once it listens. */
export const startServer = (options: LocalKinesisOptions): Promise<Server> => startLocalKinesisProcess(options, { built: true });

export interface WorkerOptions {
  config: object;
  /** Called for each `{ event }` message the worker sends before its result; one with `reply: true` waits for it. */
  onEvent?: (event: Record<string, unknown>) => void | Promise<void>;
  timeoutMs: number;
  /** Extra Node flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
}

/** Runs worker.ts in a fresh process (so RSS and CPU time are the case's alone) and resolves with its result. */
export function runWorker<R>(o: WorkerOptions): Promise<R> {
  const child: ChildProcess = fork(here('worker.ts'), [JSON.stringify(o.config)], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx', '--expose-gc', ...(o.nodeFlags ?? [])],
    env: CHILD_ENV,
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-6000);
  });
  return new Promise<R>((resolve, reject) => {
    let result: any;
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs);
    let events = Promise.resolve();
    child.on('message', (m: any) => {
      if (m.event) {
        events = events
          .then(() => o.onEvent?.(m))
          .catch(() => undefined)
          .then(() => void (m.reply && child.connected && child.send({ reply: m.event })));
      }
      else result = m;
    });
    child.on('exit', async (code, signal) => {
      clearTimeout(timer);
      await events;
      if (result?.error) return reject(new Error(`worker failed: ${result.error}\n${stderr}`));
      if (result !== undefined) return resolve(result as R);
      reject(new Error(`worker ${signal === 'SIGKILL' ? `timed out after ${o.timeoutMs} ms` : `exited with ${code ?? signal}`} without a result\n${stderr}`));
    });
  });
}
