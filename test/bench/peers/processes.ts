/**
 * The parent's side of the child processes: the local Kinesis server and one worker per measured case.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LocalKinesisOptions, LocalKinesisStats, Faults } from '../../../src/testing/types.js';
import { ROOT } from './common.js';
import type { ServerRequest } from './server.js';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** Environment of every child: quiet SDKs, and the v2 SDK's maintenance notice off. */
export const CHILD_ENV = {
  ...process.env,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
};

export interface Server {
  endpoint: string;
  region: string;
  createStream(name: string, shards: number): Promise<void>;
  stats(): Promise<LocalKinesisStats>;
  setFaults(faults: Partial<Faults>): Promise<void>;
  /** Empties the stream's shard budgets: no burst left, refills from now. */
  drainBudget(streamName: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the local Kinesis in its own process and resolves once it listens. */
export function startServer(options: LocalKinesisOptions): Promise<Server> {
  const child = fork(here('server.ts'), [JSON.stringify(options)], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    env: CHILD_ENV,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let next = 0;
  const waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  const call = (op: ServerRequest['op'], ...args: unknown[]) =>
    new Promise<any>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      child.send({ id, op, args } satisfies ServerRequest);
    });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      for (const w of waiting.values()) w.reject(new Error(`local Kinesis exited with ${code}`));
      reject(new Error(`local Kinesis exited with ${code} before it was ready`));
    });
    child.on('message', (m: any) => {
      if (m.ready) {
        return resolve({
          endpoint: m.endpoint,
          region: m.region,
          createStream: (name, shards) => call('createStream', name, shards),
          stats: () => call('stats'),
          setFaults: (faults) => call('setFaults', faults),
          drainBudget: (streamName) => call('drainBudget', streamName),
          async stop() {
            if (child.exitCode !== null) return;
            const exited = new Promise((r) => child.once('exit', r));
            await call('stop').catch(() => undefined);
            await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
            if (child.exitCode === null) child.kill('SIGKILL');
          },
        });
      }
      const w = waiting.get(m.id);
      if (!w) return;
      waiting.delete(m.id);
      if (m.error) w.reject(new Error(m.error));
      else w.resolve(m.result);
    });
  });
}

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
