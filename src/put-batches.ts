import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { Observable, asyncScheduler, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { Batch } from './batch.js';
import { putBatch } from './put.js';
import { DEFAULT_RETRY, backoffDelay, type RetryOptions } from './retry/backoff.js';
import { membersOf, type KinesisEntry } from './aggregate.js';
import type { RoutedRecord } from './route.js';
import type { StreamRef } from './shard-map.js';
import { failure, success, type PutFailure, type PutOutcome } from './types.js';

type Entry<T> = KinesisEntry<RoutedRecord<T>>;

/**
 * Options of {@link putBatches}: the stream and client, how many requests at once, and how long and how
 * often failed entries are retried.
 *
 * @example
 * ```ts
 * import { putBatches, type PutBatchesOptions } from 'rxjs-kinesis';
 * const options: PutBatchesOptions = { client, streamName: 'events', concurrency: 4, recordTtlMs: 60_000, retry: { maxDelayMs: 2_000 } };
 * batches$.pipe(putBatches(options));
 * ```
 */
export interface PutBatchesOptions extends StreamRef {
  /** Sends the PutRecords requests: an AWS SDK v3 client. */
  client: KinesisClient;
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
  /** Time after a value's arrival past which it fails with `Expired` instead of being retried, in ms. Default 30000. */
  recordTtlMs?: number;
  /** Waits between attempts of a failed entry, in ms, with full jitter. Default `{ baseDelayMs: 100, maxDelayMs: 5000 }`. */
  retry?: RetryOptions;
  /** Bound on one request, in ms. Default 10000. */
  requestTimeoutMs?: number;
  /** Clock and timers of the backoff and the request timeout. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * Sends each batch with PutRecords and emits one outcome per record: the last stage, usable alone.
 * Entries that fail with a retryable code are sent again alone (never the whole batch) after a
 * full-jitter backoff, until `recordTtlMs`. Unlike the producer, it does not re-route retries.
 *
 * @example
 * ```ts
 * import { encodeRecords, routeToShards, collectBatches, putBatches } from 'rxjs-kinesis';
 * events$.pipe(encodeRecords(toRecord), routeToShards(map), collectBatches(), putBatches({ client, streamName: 'events' }));
 * ```
 */
export function putBatches<T>(
  options: PutBatchesOptions,
): OperatorFunction<Batch<KinesisEntry<RoutedRecord<T>>> | PutFailure<T>, PutOutcome<T>> {
  const { client, concurrency = 8, recordTtlMs = 30_000, requestTimeoutMs, scheduler = asyncScheduler } = options;
  const stream = { streamName: options.streamName, streamARN: options.streamARN };
  const { baseDelayMs = DEFAULT_RETRY.baseDelayMs, maxDelayMs = DEFAULT_RETRY.maxDelayMs, random = Math.random } = options.retry ?? {};
  return (source) =>
    new Observable<PutOutcome<T>>((subscriber) => {
      const waiting: Batch<Entry<T>>[] = [];
      const timers = new Set<Subscription>();
      let active = 0;
      let done = false;

      const next = () => {
        while (active < concurrency && waiting.length > 0) send(waiting.shift()!);
        if (done && active === 0 && waiting.length === 0 && timers.size === 0) subscriber.complete();
      };
      const send = (batch: Batch<Entry<T>>) => {
        active++;
        putBatch(client, stream, batch, { requestTimeoutMs, scheduler }).then((result) => {
          active--;
          for (const { entry, shardId, sequenceNumber } of result.succeeded) {
            const aggregated = 'records' in entry;
            membersOf(entry).forEach((r, i) => subscriber.next(success(r, shardId, sequenceNumber, aggregated ? i : undefined)));
          }
          for (const { entry, code, message } of result.failed) {
            for (const r of membersOf(entry)) subscriber.next(failure(r.value, code, message, false, r.attempts));
          }
          if (result.split.length > 0) split(batch.shardId, result.split);
          if (result.retry.length > 0) retry(batch.shardId, result.retry.map((r) => r.entry), result.retry[0].code);
          next();
        });
      };
      // A request refused as invalid as a whole goes again in halves until each bad entry fails alone.
      const split = (shardId: string, entries: Entry<T>[]) => {
        const parts = entries.length === 1 ? [membersOf(entries[0])] : [entries.slice(0, entries.length >> 1), entries.slice(entries.length >> 1)];
        waiting.unshift(...parts.map((part) => ({ shardId, entries: part as Entry<T>[], bytes: part.reduce((n, e) => n + e.size, 0) })));
      };
      const retry = (shardId: string, entries: Entry<T>[], code: string) => {
        const delay = backoffDelay(entries[0].attempts, baseDelayMs, maxDelayMs, random);
        const due = scheduler.now() + delay;
        const live = entries.filter((e) => {
          const members = membersOf(e);
          if (due - members[0].createdAt < recordTtlMs) return true;
          for (const r of members) {
            subscriber.next(failure(r.value, 'Expired', `not accepted within recordTtlMs (${recordTtlMs} ms); last error ${code}`, true, r.attempts));
          }
          return false;
        });
        if (live.length === 0) return;
        const timer = scheduler.schedule(() => {
          timers.delete(timer);
          waiting.push({ shardId, entries: live, bytes: live.reduce((n, e) => n + e.size, 0) });
          next();
        }, delay);
        timers.add(timer);
      };

      const subscription = source.subscribe({
        next: (item) => {
          if ('ok' in item) subscriber.next(item);
          else {
            waiting.push(item);
            next();
          }
        },
        error: (err) => subscriber.error(err),
        complete: () => {
          done = true;
          next();
        },
      });
      return () => {
        subscription.unsubscribe();
        timers.forEach((t) => t.unsubscribe());
      };
    });
}
