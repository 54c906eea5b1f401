import { Observable, type OperatorFunction } from 'rxjs';
import type { KinesisEntry } from '../batch/aggregate.js';
import type { Batch } from '../batch/batcher.js';
import { cutBatch } from '../batch/cut.js';
import { PUT_RECORDS_DEFAULT_BYTES, PUT_RECORDS_MAX_RECORDS } from '../kinesis/limits.js';
import { createShardQueue, type ShardQueue } from '../batch/shard-queue.js';
import type { RoutedRecord } from '../records/route.js';
import { isLate, planRetry } from '../send/retry-plan.js';
import { resolveSendOptions, type SendOptions } from '../send/options.js';
import { createSender, type BatchSource } from '../send/sender.js';
import { halves, recordCount, recordsOf, settle } from '../send/settle.js';
import { failure, success, type PutFailure, type PutOutcome } from '../records/outcome.js';

/**
 * Options of {@link putBatches}: the stream and client, how many requests at once, and how long and how
 * often failed entries are retried.
 *
 * @example
 * ```ts
 * import { putBatches, type PutBatchesOptions } from 'rxjs-kinesis';
 * const options: PutBatchesOptions = { client, streamName: 'events', maxConcurrentRequests: 8, recordTtlMs: 60_000, retry: { maxDelayMs: 2_000 } };
 * batches$.pipe(putBatches(options));
 * ```
 */
export type PutBatchesOptions = SendOptions;

type Entry<T> = KinesisEntry<RoutedRecord<T>>;

/** What waits for one shard here: retried records (cut into batches), and the batches received, in order. */
interface Waiting<T> {
  retried: ShardQueue<RoutedRecord<T>>;
  batches: Batch<Entry<T>>[];
}

/**
 * Sends each batch with PutRecords and emits one outcome per record: the last stage.
 *
 * <span class="informal">It runs the producer's own send path: entries that fail with a retryable code go
 * again alone (never the whole batch) after a full-jitter backoff until `recordTtlMs`, a request refused
 * as invalid is split until only its bad entries fail, and nothing is sent once you unsubscribe. Unlike
 * the producer, it keeps no per-shard limits and does not route retries again.</span>
 *
 * ## Examples
 *
 * @example
 * ```ts
 * import { encodeRecords, routeToShards, collectBatches, putBatches } from 'rxjs-kinesis';
 * events$.pipe(encodeRecords(toRecord), routeToShards(map), collectBatches(), putBatches({ client, streamName: 'events' }));
 * ```
 *
 * @see {@link collectBatches} and {@link aggregateRecords} the stages before
 * @see {@link createProducer} the stages wired for you, with per-shard limits and bounded memory
 *
 * @param options the client and stream, the TTL, retries, request timeout and concurrency
 * @returns an operator that emits exactly one outcome per record, in the order they are decided
 */
export function putBatches<T>(options: PutBatchesOptions): OperatorFunction<Batch<Entry<T>> | PutFailure<T>, PutOutcome<T>> {
  const o = resolveSendOptions(options, 'putBatches');
  const { scheduler, recordTtlMs } = o;
  return (source) =>
    new Observable<PutOutcome<T>>((subscriber) => {
      const waiting = new Map<string, Waiting<T>>();
      const timers = new Set<{ unsubscribe(): void }>();
      let held = 0;
      let done = false;
      const of = (shardId: string) => {
        let w = waiting.get(shardId);
        if (w === undefined) waiting.set(shardId, (w = { retried: createShardQueue(shardId), batches: [] }));
        return w;
      };
      const decide = (outcome: PutOutcome<T>) => {
        held--;
        subscriber.next(outcome);
        if (done && held === 0) subscriber.complete();
      };
      const late = (r: RoutedRecord<T>) => isLate(r, scheduler.now(), recordTtlMs);
      const expire = (records: RoutedRecord<T>[], code: string | undefined) => {
        const last = code ?? 'none (it waited here)';
        for (const r of records) decide(failure(r.value, 'Expired', `not accepted within recordTtlMs (${recordTtlMs} ms) after ${r.attempts} attempts; last error ${last}`, true, r.attempts));
      };
      const requeue = (records: RoutedRecord<T>[]) => records.forEach((r) => of(r.shardId).retried.push(r));

      const batches: BatchSource<Entry<T>> = {
        readyShards: () => [...waiting].filter(([, w]) => w.retried.length > 0 || w.batches.length > 0).map(([shardId]) => shardId),
        take(shardId, fits) {
          const w = of(shardId);
          if (w.retried.length > 0) return cutBatch(w.retried, { maxCount: PUT_RECORDS_MAX_RECORDS, maxBytes: PUT_RECORDS_DEFAULT_BYTES, fits });
          const head = w.batches[0];
          if (head === undefined) return undefined;
          // A batch heavier than the limiter grants at once goes in parts, its first entry at least.
          let count = 1;
          let bytes = head.entries[0].size;
          while (count < head.entries.length && fits(count + 1, bytes + head.entries[count].size)) bytes += head.entries[count++].size;
          if (count === head.entries.length) return w.batches.shift();
          head.bytes -= bytes;
          return { shardId, entries: head.entries.splice(0, count), bytes };
        },
      };

      const sender = createSender<Entry<T>>({
        ...o,
        limiters: undefined,
        source: batches,
        prepare(batch) {
          const stale = batch.entries.filter((e) => recordsOf(e).some(late));
          if (stale.length === 0) return batch;
          const records = stale.flatMap(recordsOf);
          expire(records.filter(late), undefined);
          requeue(records.filter((r) => !late(r)));
          const entries = batch.entries.filter((e) => !stale.includes(e));
          return entries.length === 0 ? undefined : { shardId: batch.shardId, entries, bytes: entries.reduce((n, e) => n + e.size, 0) };
        },
        flying: () => undefined,
        settled(batch, result) {
          return settle(result, {
            sent: (r, shardId, sequenceNumber, sub) => decide(success(r, shardId, sequenceNumber, sub)),
            unpredicted: (records, shardId, sequenceNumber) => records.forEach((r, i) => decide(success(r, shardId, sequenceNumber, i))),
            failed: (r, code, message) => decide(failure(r.value, code, message, false, r.attempts)),
            retry(records, code) {
              const plan = planRetry(records, scheduler.now(), recordTtlMs, o.retry);
              expire(plan.late, code);
              if (plan.keep.length === 0) return;
              const timer = scheduler.schedule(() => {
                timers.delete(timer);
                requeue(plan.keep);
                sender.pump();
              }, plan.delayMs);
              timers.add(timer);
            },
            split: (entries) => of(batch.shardId).batches.unshift(...halves(entries).map((part) => ({ shardId: batch.shardId, entries: part, bytes: part.reduce((n, e) => n + e.size, 0) }))),
            breakStream: () => undefined,
          }).throttled;
        },
        emit: () => undefined,
      });

      const subscription = source.subscribe({
        next: (item) => {
          if ('ok' in item) return subscriber.next(item);
          held += item.entries.reduce((n, e) => n + recordCount(e), 0);
          of(item.shardId).batches.push(item);
          sender.pump();
        },
        error: (err) => subscriber.error(err),
        complete: () => {
          done = true;
          if (held === 0) subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        timers.forEach((t) => t.unsubscribe());
        timers.clear();
        waiting.clear();
        sender.dispose();
      };
    });
}
