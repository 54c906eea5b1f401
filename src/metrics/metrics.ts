import { EMPTY, Observable, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import type { BatchSentSignal } from '../send/signals.js';
import { DistributionCollector, type Distribution } from './distribution.js';

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

const COUNTS = ['UserRecordsReceived', 'UserRecordsPut', 'UserRecordsDataPut', 'KinesisRecordsPut', 'KinesisRecordsDataPut', 'AllErrors', 'UserRecordExpired'] as const;
const TIMES = ['RetriesPerRecord', 'BufferingTime', 'RequestTime', 'UserRecordsPerKinesisRecord', 'KinesisRecordsPerPutRecordsRequest', 'UserRecordsPerPutRecordsRequest'] as const;

/** The counters of one interval, for a shard (or the values without one); the stream's are their sum. */
class Values {
  UserRecordsReceived = 0;
  UserRecordsPut = 0;
  UserRecordsDataPut = 0;
  KinesisRecordsPut = 0;
  KinesisRecordsDataPut = 0;
  AllErrors = 0;
  UserRecordExpired = 0;
  RetriesPerRecord = new DistributionCollector();
  BufferingTime = new DistributionCollector();
  RequestTime = new DistributionCollector();
  UserRecordsPerKinesisRecord = new DistributionCollector();
  KinesisRecordsPerPutRecordsRequest = new DistributionCollector();
  UserRecordsPerPutRecordsRequest = new DistributionCollector();
  ErrorsByCode: Record<string, number> = {};

  error(code: string, n: number): void {
    this.ErrorsByCode[code] = (this.ErrorsByCode[code] ?? 0) + n;
    this.AllErrors += n;
  }

  /** Adds another's figures to these. */
  merge(other: Values): void {
    for (const k of COUNTS) this[k] += other[k];
    for (const k of TIMES) this[k].merge(other[k]);
    for (const code in other.ErrorsByCode) this.ErrorsByCode[code] = (this.ErrorsByCode[code] ?? 0) + other.ErrorsByCode[code];
  }

  take(): MetricValues {
    const taken = { ErrorsByCode: this.ErrorsByCode } as MetricValues;
    for (const k of COUNTS) taken[k] = this[k];
    for (const k of TIMES) taken[k] = this[k].take();
    return taken;
  }
}

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
  /** Values without a shard: those that arrived before a shard map, or failed before they had one. */
  let unrouted = new Values();
  let shards = new Map<string, Values>();
  let since = scheduler.now();
  const subscribers = new Set<Subscriber<MetricsSnapshot>>();
  let timer: Subscription | undefined;
  let closed = false;
  // Most calls in a row are for one shard: the last one looked up is kept at hand.
  let lastId: string | undefined | null = null;
  let last: Values | undefined;
  const shard = (shardId: string | undefined): Values => {
    if (shardId === lastId) return last!;
    lastId = shardId;
    if (shardId === undefined) return (last = unrouted);
    let values = shards.get(shardId);
    if (values === undefined) shards.set(shardId, (values = new Values()));
    return (last = values);
  };

  function take(): MetricsSnapshot {
    const at = scheduler.now();
    const stream = new Values();
    stream.merge(unrouted);
    for (const values of shards.values()) stream.merge(values);
    const snapshot: MetricsSnapshot = { at, intervalMs: at - since, streamName: m.streamName, stream: { ...stream.take(), UserRecordsPending: m.pending() }, shards: {} };
    for (const [shardId, values] of shards) snapshot.shards[shardId] = values.take();
    shards = new Map();
    unrouted = new Values();
    lastId = null;
    last = undefined;
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
      shard(shardId).UserRecordsReceived++;
    },
    /** A value leaves for its first request after waiting `ms`. */
    buffered(shardId: string, ms: number): void {
      shard(shardId).BufferingTime.add(ms);
    },
    /** A PutRecords request answered. */
    request(s: BatchSentSignal): void {
      const v = shard(s.shardId);
      v.RequestTime.add(s.durationMs);
      v.KinesisRecordsPerPutRecordsRequest.add(s.records);
      v.UserRecordsPerPutRecordsRequest.add(s.userRecords);
      if (s.errors !== undefined) for (const code in s.errors) v.error(code, s.errors[code]);
    },
    /** A Kinesis record was stored. */
    stored(shardId: string, userRecords: number, bytes: number): void {
      const v = shard(shardId);
      v.KinesisRecordsPut++;
      v.KinesisRecordsDataPut += bytes;
      v.UserRecordsPerKinesisRecord.add(userRecords);
    },
    /** A held value got its outcome. */
    decided(ok: boolean, code: string | undefined, attempts: number, dataBytes: number, shardId: string | undefined): void {
      const v = shard(shardId);
      v.RetriesPerRecord.add(attempts > 0 ? attempts - 1 : 0);
      if (ok) {
        v.UserRecordsPut++;
        v.UserRecordsDataPut += dataBytes;
      } else if (code === 'Expired') v.UserRecordExpired++;
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

/** `metrics: false`: nothing counted, and `metrics$` completes at once. */
export function createNoMetrics(): Metrics {
  const skip = () => undefined;
  return { received: skip, buffered: skip, request: skip, stored: skip, decided: skip, metrics$: EMPTY, close: skip };
}
