/**
 * One producer process of the shared-limits tests and bench (`node --import tsx producer-process.ts`).
 * Reads its task as JSON from PRODUCER_TASK, creates its producer, says `ready` to its parent (IPC)
 * and waits for the start time the parent sends once every process is ready, offers `perSecond`
 * values for `seconds`, and prints one JSON line: the outcome of every value and the 'limits' signals it saw.
 */
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { interval, mergeMap, range, take } from 'rxjs';
import { createProducer } from '../../../src/producer/create-producer.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export interface ProducerTask {
  endpoint: string;
  region: string;
  streamName: string;
  /** Redis port to share the limits through; none: this process limits itself alone. */
  redisPort?: number;
  seconds: number;
  perSecond: number;
  /** First value; values are consecutive integers. */
  first: number;
  payloadBytes: number;
}

export interface ProducerReport {
  offered: number;
  /** [value, shard index] of every value sent. */
  sent: [number, number][];
  expired: number;
  /** Values the overflow policy dropped when they arrived. */
  dropped: number;
  failed: { value: number; code: string }[];
  limits: { at: number; mode: string; reason: string; share?: number }[];
  serviceThrottled: number;
  /** [Date.now() when sent, shard index, Kinesis records] of every PutRecords request. */
  sends: [number, number, number][];
}

const task = JSON.parse(process.env.PRODUCER_TASK!) as ProducerTask;
const client = new KinesisClient({
  endpoint: task.endpoint,
  region: task.region,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  requestHandler: new NodeHttpHandler(),
});
// A hot source: what a shard cannot send within a third of the TTL is dropped as it arrives.
const producer = createProducer({
  client,
  streamName: task.streamName,
  overflow: 'dropIncoming',
  ...(task.redisPort === undefined ? {} : { limits: { redis: { port: task.redisPort, host: '127.0.0.1' }, key: task.streamName } }),
});
const report: ProducerReport = { offered: 0, sent: [], expired: 0, dropped: 0, failed: [], limits: [], serviceThrottled: 0, sends: [] };
const shardIndex = (shardId: string) => Number(shardId.slice(shardId.lastIndexOf('-') + 1));
producer.signals$.subscribe((s) => {
  if (s.type === 'limits') report.limits.push({ at: Date.now(), mode: s.mode, reason: s.reason, ...(s.share === undefined ? {} : { share: s.share }) });
  if (s.type === 'throttled' && s.source === 'service') report.serviceThrottled += s.count;
  // Emitted when the answer comes; the request went out durationMs earlier, on the same clock.
  if (s.type === 'batchSent') report.sends.push([Date.now() - s.durationMs, shardIndex(s.shardId), s.records]);
});
const payload = 'x'.repeat(task.payloadBytes);
const perTick = task.perSecond / 100;

/** What the parent sends once every process is ready: Date.now() at which to start offering. */
export interface StartMessage {
  startAt: number;
}
const { startAt } = await new Promise<StartMessage>((resolve) => {
  process.once('message', (m) => resolve(m as StartMessage));
  process.send!('ready');
});
process.disconnect();
await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
await new Promise<void>((resolve, reject) =>
  interval(10)
    .pipe(
      take(task.seconds * 100),
      // Whole values per tick, spread so the total over a second is exact.
      mergeMap((tick) => range(task.first + Math.round(tick * perTick), Math.round((tick + 1) * perTick) - Math.round(tick * perTick))),
      producer.put((n: number) => {
        report.offered++;
        return { partitionKey: `device-${n % 10_000}`, data: `${n} ${payload}` };
      }),
    )
    .subscribe({
      next: (o) => {
        if (o.ok) report.sent.push([o.value, shardIndex(o.shardId)]);
        else if (o.error.code === 'Expired') report.expired++;
        else if (o.error.code === 'Dropped') report.dropped++;
        else report.failed.push({ value: o.value, code: o.error.code });
      },
      error: reject,
      complete: resolve,
    }),
);
await producer.close();
process.stdout.write(`${JSON.stringify(report)}\n`);
