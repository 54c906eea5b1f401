import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { resolveBatchOptions } from '../batch.js';
import { resolveMaxRecordBytes } from '../encode.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../put.js';
import { DEFAULT_RETRY, type RetryOptions } from '../retry/backoff.js';
import { DEFAULT_ADAPTIVE_RATE, type AdaptiveRateOptions } from '../limit/adaptive-rate.js';
import { DEFAULT_SHARD_BUDGET, type ShardBudget } from '../limit/shard-limiters.js';
import type { SharedLimitsOptions } from '../limit/shared-limits.js';
import { MiB } from '../limits.js';
import { DEFAULT_AGGREGATION, type AggregationLimits } from '../aggregation/index.js';

/**
 * What to do with a value that would wait for its shard longer than a third of `recordTtlMs`, or that
 * arrives when the producer holds `maxBufferedRecords` or `maxBufferedBytes`.
 *
 * @example
 * ```ts
 * import { createProducer, type OverflowPolicy } from 'rxjs-kinesis';
 * const overflow: OverflowPolicy = 'dropOldest'; // metrics: the latest readings matter more than a complete series
 * const producer = createProducer({ client, streamName: 'metrics', maxBufferedRecords: 100_000, overflow });
 * ```
 */
export type OverflowPolicy = 'fail' | 'dropOldest' | 'dropIncoming';

/**
 * Options of {@link createProducer}. Sizes are bytes, times are milliseconds.
 *
 * @example
 * ```ts
 * import { createProducer, type ProducerOptions } from 'rxjs-kinesis';
 * const options: ProducerOptions = { client, streamName: 'events', lingerMs: 50, rateLimit: 80, aggregation: { maxBytes: 51_200 } };
 * const producer = createProducer(options);
 * ```
 */
export interface ProducerOptions {
  /** The AWS SDK v3 client to send with. */
  client: KinesisClient;
  /** The stream's name; or give `streamARN`. */
  streamName?: string;
  /** The stream's ARN; or give `streamName`. */
  streamARN?: string;
  /** Largest record (partition key + data). Default 1 MiB; up to 10 MiB for streams that allow it. */
  maxRecordBytes?: number;
  /** Entries in one PutRecords request, 1..500. Default 500. */
  maxBatchCount?: number;
  /** Bytes (partition keys + data) in one PutRecords request. Default 5 MiB; up to 10 MiB. */
  maxBatchBytes?: number;
  /** Longest wait of a value in a part-filled batch. Default 100 ms. */
  lingerMs?: number;
  /** A value that is still not accepted this long after it arrived fails with `Expired`. Default 30000 ms. */
  recordTtlMs?: number;
  /** Backoff between retries of failed entries: full jitter. Default `{ baseDelayMs: 100, maxDelayMs: 5000 }`. */
  retry?: RetryOptions;
  /** Bound on one request; a request still unanswered is aborted and retried. Default 10000 ms. */
  requestTimeoutMs?: number;
  /** PutRecords requests in flight per shard. Default 4. */
  maxInFlightPerShard?: number;
  /** PutRecords requests in flight in all. Default 64. */
  maxConcurrentRequests?: number;
  /**
   * Reload the shard map when it is older than this, checked as batches go out; 0 turns the periodic
   * reload off. The map also reloads whenever a record lands on a shard it did not predict. Default 0 ms.
   */
  shardMapMaxAgeMs?: number;
  /** Each shard's write budget. Default the service's: 1000 records/s and 1 MiB/s. */
  shardBudget?: ShardBudget;
  /** Percentage of the shard budget to use, 1..100 (less the 2% kept for transit jitter); `false` turns the per-shard limiter off. Default 100. */
  rateLimit?: number | false;
  /** Lower a shard's rate on service throttles and raise it back on success (AIMD); `false` keeps it fixed. Default on. */
  adaptiveRate?: AdaptiveRateOptions | false;
  /**
   * Pack small records of one shard into KPL aggregates (decoded by the KCL, Firehose and
   * `aws-kinesis-agg`). Default `false`: a consumer that does not deaggregate would see binary records.
   */
  aggregation?: false | Partial<AggregationLimits>;
  /** Share each shard's budget with every producer process writing to the stream, through Redis. Default: not shared. */
  limits?: SharedLimitsOptions;
  /** Values held at once (buffered, waiting to retry, in flight). Default 500000. */
  maxBufferedRecords?: number;
  /** Bytes (partition keys + data) held at once. Default 128 MiB. */
  maxBufferedBytes?: number;
  /**
   * When a value would wait for its shard longer than a third of `recordTtlMs`, or does not fit the memory
   * ceilings: `'fail'` the pipeline, drop the oldest waiting values (of its shard, for the wait), or drop the
   * new one. Default `'fail'`.
   */
  overflow?: OverflowPolicy;
  /** `pressure$` turns `'high'` at this fraction of the longest accepted wait on the busiest shard, or of either memory ceiling. Default 0.8. */
  highWatermark?: number;
  /** `pressure$` turns back to `'ok'` below this fraction of all three. Default 0.5. */
  lowWatermark?: number;
  /** Clock and timers (linger, backoff, timeouts). Default `asyncScheduler`; tests pass a virtual one. */
  scheduler?: SchedulerLike;
}

export const DEFAULT_MAX_BUFFERED_RECORDS = 500_000;
export const DEFAULT_MAX_BUFFERED_BYTES = 128 * MiB;
export const DEFAULT_HIGH_WATERMARK = 0.8;
export const DEFAULT_LOW_WATERMARK = 0.5;

export const DEFAULT_RECORD_TTL_MS = 30_000;
/**
 * Share of `recordTtlMs` a value may expect to wait for its shard when it arrives. The other two thirds
 * absorb what comes after: a shard's rate cut in half by another writer (the adaptive rate dips below
 * the new budget before it settles), retries and their backoff.
 */
export const MAX_WAIT_SHARE = 1 / 3;
export const DEFAULT_MAX_IN_FLIGHT_PER_SHARD = 4;
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 64;

export type ResolvedOptions = ReturnType<typeof resolveOptions>;

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer; got ${value}`);
  return value;
}

/** Checks every option once, so a bad one throws at `createProducer`, not mid-stream. */
export function resolveOptions(options: ProducerOptions) {
  if (!options || typeof options.client?.send !== 'function') throw new TypeError('createProducer needs a KinesisClient as `client`');
  if (!options.streamName && !options.streamARN) throw new TypeError('createProducer needs `streamName` or `streamARN`');
  const scheduler = options.scheduler ?? asyncScheduler;
  const batch = resolveBatchOptions({
    maxCount: options.maxBatchCount,
    maxBytes: options.maxBatchBytes,
    lingerMs: options.lingerMs,
    scheduler,
  });
  const retry = {
    baseDelayMs: options.retry?.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
    maxDelayMs: options.retry?.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
    random: options.retry?.random ?? Math.random,
  };
  const { rateLimit = 100, overflow = 'fail' } = options;
  if (rateLimit !== false && !(rateLimit > 0 && rateLimit <= 100)) throw new RangeError(`rateLimit must be in (0, 100] or false; got ${rateLimit}`);
  if (!['fail', 'dropOldest', 'dropIncoming'].includes(overflow)) throw new RangeError(`overflow must be 'fail', 'dropOldest' or 'dropIncoming'; got ${overflow}`);
  const highWatermark = options.highWatermark ?? DEFAULT_HIGH_WATERMARK;
  const lowWatermark = options.lowWatermark ?? DEFAULT_LOW_WATERMARK;
  if (!(lowWatermark >= 0 && lowWatermark <= highWatermark && highWatermark <= 1)) {
    throw new RangeError(`watermarks must satisfy 0 <= lowWatermark <= highWatermark <= 1; got ${lowWatermark} and ${highWatermark}`);
  }
  return {
    shardBudget: { ...DEFAULT_SHARD_BUDGET, ...options.shardBudget },
    rateLimit,
    limits: options.limits,
    shardMapMaxAgeMs: options.shardMapMaxAgeMs ?? 0,
    aggregation: options.aggregation === undefined || options.aggregation === false ? (false as const) : { ...DEFAULT_AGGREGATION, ...options.aggregation },
    adaptiveRate: options.adaptiveRate === false ? (false as const) : { ...DEFAULT_ADAPTIVE_RATE, ...options.adaptiveRate },
    maxBufferedRecords: positiveInteger('maxBufferedRecords', options.maxBufferedRecords ?? DEFAULT_MAX_BUFFERED_RECORDS),
    maxBufferedBytes: positiveInteger('maxBufferedBytes', options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES),
    overflow,
    highWatermark,
    lowWatermark,
    client: options.client,
    stream: { streamName: options.streamName, streamARN: options.streamARN },
    scheduler,
    batch,
    retry,
    maxRecordBytes: resolveMaxRecordBytes(options.maxRecordBytes),
    recordTtlMs: positiveInteger('recordTtlMs', options.recordTtlMs ?? DEFAULT_RECORD_TTL_MS),
    requestTimeoutMs: positiveInteger('requestTimeoutMs', options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS),
    maxInFlightPerShard: positiveInteger('maxInFlightPerShard', options.maxInFlightPerShard ?? DEFAULT_MAX_IN_FLIGHT_PER_SHARD),
    maxConcurrentRequests: positiveInteger('maxConcurrentRequests', options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS),
  };
}
