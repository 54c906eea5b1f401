/**
 * The local Kinesis in a process of its own, for suites and benchmarks that measure when requests reach
 * the service: in the test's own process, a pause of that process (a major GC of a heap every earlier
 * suite grew) delays the front's clock for one request and not the next, as the real service, on other
 * machines, never is; and its work is not charged to the producer measured.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { KinesisClient, KinesisClientConfig } from '@aws-sdk/client-kinesis';
import { createClientFactory } from '../../src/testing/clients.js';
import type { Faults, LocalKinesisOptions, LocalKinesisStats } from '../../src/testing/index.js';

const CHILD = fileURLToPath(new URL('./local-kinesis-child.ts', import.meta.url));
const CALL_TIMEOUT_MS = 30_000;
const START_TIMEOUT_MS = 60_000;

export interface LocalKinesisProcess {
  endpoint: string;
  region: string;
  client(overrides?: Partial<KinesisClientConfig>): KinesisClient;
  createStream(name: string, shardCount: number): Promise<void>;
  stats(): Promise<LocalKinesisStats>;
  setFaults(faults: Partial<Faults>): Promise<void>;
  /** Empties the stream's shard budgets: no burst left, refills from now. */
  drainBudget(streamName: string): Promise<void>;
  stop(): Promise<void>;
}

interface Started {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/** `built`: the child runs the built package (`dist/testing.mjs`, as benchmarks measure it), not the sources. */
export async function startLocalKinesisProcess(options: LocalKinesisOptions = {}, { built = false } = {}): Promise<LocalKinesisProcess> {
  const child = fork(CHILD, [JSON.stringify(options), built ? 'built' : 'sources'], {
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  let nextId = 0;
  let exited = false;
  const ready = new Promise<Started>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the local Kinesis process did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    child.on('message', (m: { ready?: boolean; id?: number; result?: unknown; error?: string }) => {
      if (m.ready) {
        clearTimeout(timer);
        resolve(m as unknown as Started);
        return;
      }
      const call = pending.get(m.id!);
      if (call === undefined) return;
      pending.delete(m.id!);
      clearTimeout(call.timer);
      if (m.error !== undefined) call.reject(new Error(m.error));
      else call.resolve(m.result);
    });
    child.on('exit', (code, signal) => {
      exited = true;
      clearTimeout(timer);
      const error = new Error(`the local Kinesis process exited (${signal ?? code})`);
      reject(error);
      for (const call of pending.values()) {
        clearTimeout(call.timer);
        call.reject(error);
      }
      pending.clear();
    });
  });
  const call = <R>(op: string, ...args: unknown[]) =>
    new Promise<R>((resolve, reject) => {
      if (exited) return reject(new Error('the local Kinesis process has exited'));
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`the local Kinesis process did not answer ${op} within ${CALL_TIMEOUT_MS} ms`));
      }, CALL_TIMEOUT_MS);
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      child.send({ id, op, args });
    });
  let started;
  try {
    started = await ready;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const clients = await createClientFactory(started);
  return {
    endpoint: started.endpoint,
    region: started.region,
    client: (overrides) => clients.client(overrides),
    createStream: (name, shardCount) => call<void>('createStream', name, shardCount),
    stats: () => call<LocalKinesisStats>('stats'),
    setFaults: (faults) => call<void>('setFaults', faults),
    drainBudget: (streamName) => call<void>('drainBudget', streamName),
    async stop() {
      clients.destroyAll();
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await call('stop').catch(() => child.kill('SIGKILL'));
      const timer = setTimeout(() => child.kill('SIGKILL'), CALL_TIMEOUT_MS);
      await gone;
      clearTimeout(timer);
    },
  };
}
