/** The parent's side of a producer process (producer-process.ts): start it, tell it when to offer, collect its report. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ProducerReport, ProducerTask, StartMessage } from './producer-process.js';

const SCRIPT = fileURLToPath(new URL('./producer-process.ts', import.meta.url));

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** `promise`, or a rejection saying `what` once `ms` passed. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** A producer process: `ready` once its producer exists, then it offers from the start time it is sent. */
export function startChild(task: ProducerTask): { ready: Promise<void>; start(message: StartMessage): void; report: Promise<ProducerReport>; kill(): void } {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    env: { ...process.env, PRODUCER_TASK: JSON.stringify(task) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`producer process exited with ${code} before it was ready`)));
  });
  const report = new Promise<ProducerReport>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`producer process exited with ${code}: ${err.slice(-4000)}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1)!) as ProducerReport);
      } catch (e) {
        reject(new Error(`producer process printed no report: ${out.slice(-500)} ${err.slice(-4000)}`));
      }
    });
  });
  ready.catch(() => undefined);
  return { ready, report, start: (message) => child.send(message), kill: () => child.kill('SIGKILL') };
}
