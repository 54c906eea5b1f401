import { resolveBatchOptions } from '../batch/batcher.js';
import type { MetricsOptions } from '../metrics/metrics.js';
import { DEFAULTS } from '../defaults.js';
import type { AggregationLimits } from '../kpl/index.js';
import { resolveMaxRecordBytes } from '../records/encode.js';
import { optionChecks, resolveSendOptions, type SendOptions } from '../send/options.js';
import type { AdaptiveRateOptions } from '../throttle/adaptive-rate.js';
import type { ShardBudget } from '../throttle/shard-limiters.js';
import type { SharedLimitsOptions } from '../throttle/shared-limits.js';

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
export interface ProducerOptions extends SendOptions {
  /** Largest record (partition key + data). Default 1 MiB; up to 10 MiB for streams that allow it. */
  maxRecordBytes?: number;
  /** Entries in one PutRecords request, 1..500. Default 500. */
  maxBatchCount?: number;
  /** Bytes (partition keys + data) in one PutRecords request. Default 5 MiB; up to 10 MiB. */
  maxBatchBytes?: number;
  /** Longest wait of a value in a part-filled batch. Default 100 ms. */
  lingerMs?: number;
  /**
   * Reload the shard map when it is older than this, checked as batches go out; 0 turns the periodic
   * reload off. The map also reloads whenever a record lands on a shard it did not predict. Default 0 ms.
   */
  shardMapMaxAgeMs?: number;
  /** Each shard's write budget. Default the service's: 1000 records/s and 1 MiB/s. */
  shardBudget?: ShardBudget;
  /** Percentage of the shard budget to use, 1..100 (less the 1% kept for transit jitter); `false` turns the per-shard limiter off. Default 100. */
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
  /**
   * `'perKey'`: the values of each partition key are stored in the order they reached `put`, whatever
   * fails, throttles or is retried. A key has one value out at a time (with aggregation, its waiting
   * values together in one aggregate); its next ones wait for that one's outcome, and other keys go on.
   * Default `'none'`: values are sent as fast as the shards take them, and retries land later.
   */
  ordering?: 'none' | 'perKey';
  /** The KPL's metrics on `metrics$`: the interval; `false` counts nothing (`metrics$` completes at once). Default `{ intervalMs: 60_000 }`. */
  metrics?: MetricsOptions | false;
  /** `pressure$` turns `'high'` at this fraction of the longest accepted wait on the busiest shard, or of either memory ceiling. Default 0.8. */
  highWatermark?: number;
  /** `pressure$` turns back to `'ok'` below this fraction of all three. Default 0.5. */
  lowWatermark?: number;
}

/**
 * Share of `recordTtlMs` a value may expect to wait for its shard when it arrives. The other two thirds
 * absorb what comes after: a shard's rate cut in half by another writer (the adaptive rate dips below
 * the new budget before it settles), retries and their backoff.
 */
export const MAX_WAIT_SHARE = 1 / 3;

export type ResolvedOptions = ReturnType<typeof resolveOptions>;

/** Checks every option once, in one place, so a bad one throws at `createProducer`, not mid-stream. */
export function resolveOptions(options: ProducerOptions) {
  const caller = 'createProducer';
  const check = optionChecks(caller);
  const send = resolveSendOptions(options, caller);
  const { rateLimit = DEFAULTS.rateLimit, overflow = DEFAULTS.overflow } = options;
  if (rateLimit !== false && !(rateLimit > 0 && rateLimit <= 100)) check.fail('rateLimit', 'a percentage in (0, 100] or false', rateLimit);
  check.oneOf('overflow', overflow, ['fail', 'dropOldest', 'dropIncoming']);
  const { ordering = 'none' } = options;
  check.oneOf('ordering', ordering, ['none', 'perKey']);
  const highWatermark = check.fraction('highWatermark', options.highWatermark ?? DEFAULTS.highWatermark);
  const lowWatermark = options.lowWatermark ?? DEFAULTS.lowWatermark;
  if (!(lowWatermark >= 0 && lowWatermark <= highWatermark)) check.fail('lowWatermark', `in [0, highWatermark (${highWatermark})]`, lowWatermark);
  const shardBudget = { ...DEFAULTS.shardBudget, ...options.shardBudget };
  check.positive('shardBudget.recordsPerSecond', shardBudget.recordsPerSecond);
  check.positive('shardBudget.bytesPerSecond', shardBudget.bytesPerSecond);
  const adaptiveRate = options.adaptiveRate === false ? (false as const) : { ...DEFAULTS.adaptiveRate, ...options.adaptiveRate };
  if (adaptiveRate !== false) {
    check.fraction('adaptiveRate.decreaseFactor', adaptiveRate.decreaseFactor);
    check.atLeastZero('adaptiveRate.increasePerSecond', adaptiveRate.increasePerSecond);
    check.fraction('adaptiveRate.minFraction', adaptiveRate.minFraction);
    check.atLeastZero('adaptiveRate.cooldownMs', adaptiveRate.cooldownMs);
  }
  const aggregation = options.aggregation === undefined || options.aggregation === false ? (false as const) : { ...DEFAULTS.aggregation, ...options.aggregation };
  if (aggregation !== false) {
    check.positiveInteger('aggregation.maxBytes', aggregation.maxBytes);
    check.positiveInteger('aggregation.maxCount', aggregation.maxCount);
  }
  return {
    ...send,
    shardBudget,
    rateLimit,
    limits: options.limits,
    shardMapMaxAgeMs: check.atLeastZero('shardMapMaxAgeMs', options.shardMapMaxAgeMs ?? DEFAULTS.shardMapMaxAgeMs),
    aggregation,
    adaptiveRate,
    maxBufferedRecords: check.positiveInteger('maxBufferedRecords', options.maxBufferedRecords ?? DEFAULTS.maxBufferedRecords),
    maxBufferedBytes: check.positiveInteger('maxBufferedBytes', options.maxBufferedBytes ?? DEFAULTS.maxBufferedBytes),
    overflow,
    ordering,
    metrics: options.metrics === false ? (false as const) : { intervalMs: check.positive('metrics.intervalMs', options.metrics?.intervalMs ?? DEFAULTS.metricsIntervalMs) },
    streamName: send.stream.streamName ?? send.stream.streamARN?.slice(send.stream.streamARN.lastIndexOf('/') + 1) ?? '',
    highWatermark,
    lowWatermark,
    batch: resolveBatchOptions({ maxCount: options.maxBatchCount, maxBytes: options.maxBatchBytes, lingerMs: options.lingerMs, scheduler: send.scheduler }),
    maxRecordBytes: resolveMaxRecordBytes(options.maxRecordBytes),
  };
}
