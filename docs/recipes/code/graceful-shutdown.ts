import { KinesisClient } from '@aws-sdk/client-kinesis';
import { fileURLToPath } from 'node:url';
import { fromEvent, interval, lastValueFrom, map, merge, reduce, takeUntil, toArray, from, type Observable } from 'rxjs';
import { createProducer, type Producer } from 'rxjs-kinesis';

/** A container: a live source until SIGTERM (or SIGINT), then everything taken is sent before the process ends. */
export async function main({
  client = new KinesisClient({}),
  streamName = 'jobs',
  stop$ = merge(fromEvent(process, 'SIGTERM'), fromEvent(process, 'SIGINT')) as Observable<unknown>,
} = {}) {
  const producer = createProducer({ client, streamName });
  const started = Date.now();

  const { taken, sent, failed } = await lastValueFrom(
    interval(1).pipe(
      map((i) => ({ jobId: `job-${i}`, at: Date.now() })),
      // Stop the source, not the output: put() still emits the outcome of every value it took, then completes.
      takeUntil(stop$),
      producer.put((job) => ({ partitionKey: job.jobId, data: JSON.stringify(job) })),
      reduce((t, o) => ({ taken: t.taken + 1, sent: t.sent + (o.ok ? 1 : 0), failed: t.failed + (o.ok ? 0 : 1) }), { taken: 0, sent: 0, failed: 0 }),
    ),
  );
  // Nothing of this producer is left to send; close() releases its timers so the process can exit.
  await producer.close();
  console.log(`stopped after ${((Date.now() - started) / 1000).toFixed(1)} s: ${taken} jobs taken, ${sent} sent, ${failed} failed, none left behind`);
  return { taken, sent, failed };
}

/** An SQS event and the partial batch response that makes SQS redeliver only the failed messages. */
export interface SqsEvent {
  Records: { messageId: string; body: string }[];
}
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/**
 * A Lambda: the environment is frozen as soon as the handler returns, so return only once every message has its
 * outcome. Never close the producer here: it is reused by the next invocation while the environment stays warm.
 */
export async function sendMessages(producer: Producer, event: SqsEvent): Promise<SqsBatchResponse> {
  const outcomes = await lastValueFrom(
    from(event.Records).pipe(
      producer.put((m) => ({ partitionKey: m.messageId, data: m.body })),
      toArray(),
    ),
  );
  return { batchItemFailures: outcomes.filter((o) => !o.ok).map((o) => ({ itemIdentifier: o.value.messageId })) };
}

let lambdaProducer: Producer | undefined;
export const handler = (event: SqsEvent) => {
  lambdaProducer ??= createProducer({ client: new KinesisClient({}), streamName: process.env.STREAM_NAME ?? 'jobs' });
  return sendMessages(lambdaProducer, event);
};

if (process.argv[1] === fileURLToPath(import.meta.url)) void main();
