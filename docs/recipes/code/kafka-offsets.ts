import { KinesisClient } from '@aws-sdk/client-kinesis';
import { Kafka, type Consumer, type EachBatchPayload, type TopicPartitionOffset } from 'kafkajs';
import { fileURLToPath } from 'node:url';
import { bufferTime, concatMap, distinctUntilChanged, filter, firstValueFrom, fromEvent, interval, lastValueFrom, map, merge, Observable, Subject, tap } from 'rxjs';
import { checkpoints, createProducer, pullFrom } from 'rxjs-kinesis';

/** The kafkajs consumer calls this recipe makes: a test passes a stand-in with only these. */
export type KafkaConsumer = Pick<Consumer, 'connect' | 'subscribe' | 'run' | 'pause' | 'resume' | 'commitOffsets' | 'disconnect'>;

export async function main({
  client = new KinesisClient({}),
  streamName = 'orders',
  consumer = new Kafka({ brokers: (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(',') }).consumer({ groupId: 'orders-to-kinesis' }) as KafkaConsumer,
  topic = 'orders',
  recordTtlMs = 30_000,
  stop$ = merge(fromEvent(process, 'SIGTERM'), fromEvent(process, 'SIGINT')) as Observable<unknown>,
} = {}) {
  const producer = createProducer({ client, streamName, recordTtlMs });
  let sent = 0;
  let failed = 0;
  let pauses = 0;

  // What may be committed: per partition, the offset after the last message of its decided prefix.
  const decided$ = new Subject<TopicPartitionOffset>();
  const committed = new Map<number, string>();
  let commits = 0;
  const committing = lastValueFrom(
    decided$.pipe(
      // At most one commit a second, of the newest offset of each partition that moved.
      bufferTime(1000),
      map((offsets) => [...new Map(offsets.map((o) => [`${o.topic}/${o.partition}`, o])).values()]),
      filter((offsets) => offsets.length > 0),
      concatMap(async (offsets) => {
        try {
          await consumer.commitOffsets(offsets);
        } catch {
          return; // kafkajs retried it; the next commit covers these partitions, or their next owner reads them again
        }
        commits++;
        for (const o of offsets) committed.set(o.partition, o.offset);
      }),
    ),
    { defaultValue: undefined },
  );

  let stopping = false;
  const running = new Set<Promise<void>>();
  async function sendBatch({ batch, resolveOffset, heartbeat }: EachBatchPayload): Promise<void> {
    if (stopping) return; // fetched before the pause and never resolved: the next run reads it again
    const { topic, partition } = batch;
    // One put per batch: a batch is one partition's messages in offset order, and checkpoints numbers one put's input.
    const decided = pullFrom(batch.messages, producer).pipe(
      producer.put((m) => ({ partitionKey: m.key?.toString() || `${topic}-${partition}`, data: m.value ?? '' })),
      tap((o) => (o.ok ? sent++ : failed++)), // a failed message: send it to a dead-letter topic here, before committing past it
      checkpoints((m) => m.offset),
      tap((offset) => {
        resolveOffset(offset); // where kafkajs fetches this partition's next batch from
        decided$.next({ topic, partition, offset: (BigInt(offset) + 1n).toString() }); // Kafka commits the next offset to read
      }),
    );
    await lastValueFrom(withHeartbeats(decided, heartbeat), { defaultValue: undefined });
  }

  await consumer.connect();
  await consumer.subscribe({ topics: [topic] });
  await consumer.run({
    autoCommit: false, // commit only what checkpoints says is decided
    eachBatchAutoResolve: false, // and read again what was not
    partitionsConsumedConcurrently: 3,
    eachBatch: (payload) => {
      const batch = sendBatch(payload);
      running.add(batch);
      return batch.finally(() => running.delete(batch));
    },
  });
  // Fetch no more batches while the producer is full; the batches already taken wait in pullFrom.
  const pressure = producer.pressure$
    .pipe(
      map((p) => p.level === 'ok'),
      distinctUntilChanged(),
    )
    .subscribe((ok) => {
      if (ok) return consumer.resume([{ topic }]);
      consumer.pause([{ topic }]);
      pauses++;
    });

  await firstValueFrom(stop$);
  // kafkajs commits nothing once it stops: take no more batches, let the running ones finish, commit, then disconnect.
  stopping = true;
  pressure.unsubscribe();
  consumer.pause([{ topic }]);
  await Promise.allSettled(running);
  decided$.complete();
  await committing;
  await consumer.disconnect();
  await producer.close();

  const offsets = [...committed].sort(([a], [b]) => a - b).map(([partition, offset]) => `partition ${partition} at ${offset}`);
  console.log(`sent ${sent} messages, failed ${failed}; fetching paused ${pauses} times`);
  console.log(`${commits} commits; next offsets: ${offsets.join(', ')}`);
  return { sent, failed, pauses, commits, committed };
}

/**
 * Mirrors `work$`, and calls `heartbeat` every second until it ends: Kinesis may take longer than the group's session
 * timeout. A heartbeat that fails (the group is rebalancing) stops the work with its error, and kafkajs rejoins.
 */
function withHeartbeats<T>(work$: Observable<T>, heartbeat: () => Promise<void>): Observable<T> {
  return new Observable<T>((subscriber) => {
    subscriber.add(interval(1000).pipe(concatMap(() => heartbeat())).subscribe({ error: (error) => subscriber.error(error) }));
    subscriber.add(work$.subscribe(subscriber));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main();
