import { Observable, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import type { BatchSentSignal } from '../send/signals.js';
import { createDistribution, type Distribution, type DistributionCollector } from './distribution.js';

/**
 * One interval of a producer's work, under the KPL's metric names and meanings. Counts are per interval;
 * times are in milliseconds.
 *
 * @example
 * ```ts
 * import type { MetricValues } from 'rxjs-kinesis';
 * const errorRate = (m: MetricValues) => m.AllErrors / Math.max(1, m.KinesisRecordsPut + m.AllErrors);
 * ```
 */
export interface MetricValues {
  /** Values `put` took in (valid ones; invalid input fails at once and is not counted). */
  UserRecordsReceived: number;
  /** Values held now, without an outcome: a gauge sampled at the snapshot. Stream level only. */
  UserRecordsPending?: number;
  /** Values stored (an `ok` outcome). */
  UserRecordsPut: number;
  /** Data bytes of the values stored. */
  UserRecordsDataPut: number;
  /** Kinesis records stored: an aggregate counts once. */
  KinesisRecordsPut: number;
  /** Bytes of the Kinesis records stored, partition key + data, as the service counts them. */
  KinesisRecordsDataPut: number;
  /** Kinesis records refused, per error code: entries an answer refused, and every entry of a request that failed. */
  ErrorsByCode: Record<string, number>;
  /** The sum of `ErrorsByCode`. */
  AllErrors: number;
  /** Retries of each value that got its outcome: attempts beyond the first (0 for one that went through at once). */
  RetriesPerRecord: Distribution;
  /** Values that failed with `Expired`: their `recordTtlMs` ended before they were stored. */
  UserRecordExpired: number;
  /** Time from `put` to a value's first request, in ms. */
  BufferingTime: Distribution;
  /** Time of each PutRecords request, from send to answer, in ms. */
  RequestTime: Distribution;
  /** Values in each Kinesis record stored (1 for a plain record). */
  UserRecordsPerKinesisRecord: Distribution;
  /** Kinesis records in each PutRecords request. */
  KinesisRecordsPerPutRecordsRequest: Distribution;
  /** Values in each PutRecords request. */
  UserRecordsPerPutRecordsRequest: Distribution;
}

/**
 * What `producer.metrics$` emits every `metrics.intervalMs`: the stream's figures and each shard's.
 *
 * @example
 * ```ts
 * import type { MetricsSnapshot } from 'rxjs-kinesis';
 * const line = (s: MetricsSnapshot) => `${new Date(s.at).toISOString()} ${s.stream.UserRecordsPut} put, ${s.stream.AllErrors} errors`;
 * producer.metrics$.subscribe((s) => console.log(line(s)));
 * ```
 */
export interface MetricsSnapshot {
  /** End of the interval (scheduler clock, ms since the epoch with the default scheduler). */
  at: number;
  /** Its length, in ms: `metrics.intervalMs`, or less for the last one, at `close()`. */
  intervalMs: number;
  /** The stream's name, as the KPL's `StreamName` dimension. */
  streamName: string;
  stream: MetricValues;
  /** Per shard id, for the shards that saw values in the interval. */
  shards: Record<string, MetricValues>;
}

/**
 * Options of the producer's metrics.
 *
 * @example
 * ```ts
 * import { createProducer, type MetricsOptions } from 'rxjs-kinesis';
 * const metrics: MetricsOptions = { intervalMs: 10_000 };
 * const producer = createProducer({ client, streamName: 'events', metrics });
 * ```
 */
export interface MetricsOptions {
  /** Length of an interval, in ms. Default 60,000, the KPL's. */
  intervalMs?: number;
}

/** The counters of one interval, for the stream or a shard. */
function createValues() {
  const counts = { UserRecordsReceived: 0, UserRecordsPut: 0, UserRecordsDataPut: 0, KinesisRecordsPut: 0, KinesisRecordsDataPut: 0, AllErrors: 0, UserRecordExpired: 0 };
  const times = {
    RetriesPerRecord: createDistribution(),
    BufferingTime: createDistribution(),
    RequestTime: createDistribution(),
    UserRecordsPerKinesisRecord: createDistribution(),
    KinesisRecordsPerPutRecordsRequest: createDistribution(),
    UserRecordsPerPutRecordsRequest: createDistribution(),
  } satisfies Record<string, DistributionCollector>;
  let errors: Record<string, number> = {};
  return {
    counts,
    times,
    error(code: string, n: number): void {
      errors[code] = (errors[code] ?? 0) + n;
      counts.AllErrors += n;
    },
    take(): MetricValues {
      const taken: MetricValues = { ...counts, ErrorsByCode: errors, ...(Object.fromEntries(Object.entries(times).map(([k, d]) => [k, d.take()])) as Record<keyof typeof times, Distribution>) };
      for (const k of Object.keys(counts) as (keyof typeof counts)[]) counts[k] = 0;
      errors = {};
      return taken;
    },
  };
}

type Values = ReturnType<typeof createValues>;

export interface MetricsCollectorOptions {
  scheduler: SchedulerLike;
  intervalMs: number;
  streamName: string;
  /** Values held now. */
  pending(): number;
}

/**
 * The producer's metrics: counters and distributions per interval, fed from what the producer does
 * anyway (a value arrives, a request answers, a value is decided), emitted as snapshots on a timer that
 * runs while `metrics$` has subscribers, and a last one at `close()`.
 */
export function createMetrics(m: MetricsCollectorOptions) {
  const { scheduler } = m;
  const stream = createValues();
  let shards = new Map<string, Values>();
  let since = scheduler.now();
  const subscribers = new Set<Subscriber<MetricsSnapshot>>();
  let timer: Subscription | undefined;
  let closed = false;

  const shard = (shardId: string) => shards.get(shardId) ?? shards.set(shardId, createValues()).get(shardId)!;

  function take(): MetricsSnapshot {
    const at = scheduler.now();
    const snapshot: MetricsSnapshot = { at, intervalMs: at - since, streamName: m.streamName, stream: { ...stream.take(), UserRecordsPending: m.pending() }, shards: {} };
    for (const [shardId, values] of shards) snapshot.shards[shardId] = values.take();
    shards = new Map();
    since = at;
    return snapshot;
  }

  function tick(): void {
    const snapshot = take();
    subscribers.forEach((s) => s.next(snapshot));
    timer = scheduler.schedule(tick, m.intervalMs);
  }

  return {
    /** A value entered the producer (routed to `shardId` when the map was known). */
    received(shardId: string | undefined): void {
      stream.counts.UserRecordsReceived++;
      if (shardId !== undefined) shard(shardId).counts.UserRecordsReceived++;
    },
    /** Values leave for their first request after waiting `ms`. */
    buffered(shardId: string, ms: number): void {
      stream.times.BufferingTime.add(ms);
      shard(shardId).times.BufferingTime.add(ms);
    },
    /** A PutRecords request answered. */
    request(s: BatchSentSignal): void {
      for (const v of [stream, shard(s.shardId)]) {
        v.times.RequestTime.add(s.durationMs);
        v.times.KinesisRecordsPerPutRecordsRequest.add(s.records);
        v.times.UserRecordsPerPutRecordsRequest.add(s.userRecords);
        if (s.errors !== undefined) for (const code in s.errors) v.error(code, s.errors[code]);
      }
    },
    /** A Kinesis record was stored. */
    stored(shardId: string, userRecords: number, bytes: number): void {
      for (const v of [stream, shard(shardId)]) {
        v.counts.KinesisRecordsPut++;
        v.counts.KinesisRecordsDataPut += bytes;
        v.times.UserRecordsPerKinesisRecord.add(userRecords);
      }
    },
    /** A held value got its outcome. */
    decided(ok: boolean, code: string | undefined, attempts: number, dataBytes: number, shardId: string | undefined): void {
      const s = shardId === undefined ? undefined : shard(shardId);
      const retries = attempts > 0 ? attempts - 1 : 0;
      stream.times.RetriesPerRecord.add(retries);
      s?.times.RetriesPerRecord.add(retries);
      if (ok) {
        stream.counts.UserRecordsPut++;
        stream.counts.UserRecordsDataPut += dataBytes;
        if (s) (s.counts.UserRecordsPut++, (s.counts.UserRecordsDataPut += dataBytes));
      } else if (code === 'Expired') {
        stream.counts.UserRecordExpired++;
        if (s) s.counts.UserRecordExpired++;
      }
    },
    /** Snapshots every interval while subscribed; the last one at `close()`, then complete. */
    metrics$: new Observable<MetricsSnapshot>((subscriber) => {
      if (closed) return subscriber.complete();
      subscribers.add(subscriber);
      timer ??= scheduler.schedule(tick, Math.max(0, since + m.intervalMs - scheduler.now()));
      return () => {
        subscribers.delete(subscriber);
        if (subscribers.size > 0) return;
        timer?.unsubscribe();
        timer = undefined;
      };
    }),
    /** Emits the last snapshot and completes `metrics$`. */
    close(): void {
      if (closed) return;
      closed = true;
      timer?.unsubscribe();
      timer = undefined;
      const snapshot = take();
      for (const s of [...subscribers]) (s.next(snapshot), s.complete());
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
