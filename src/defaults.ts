import { DEFAULT_AGGREGATION } from './kpl/limits.js';
import { MiB, PUT_RECORDS_DEFAULT_BYTES, PUT_RECORDS_MAX_RECORDS, RECORD_DEFAULT_BYTES, SHARD_BYTES_PER_SECOND, SHARD_RECORDS_PER_SECOND } from './kinesis/limits.js';

/**
 * Every default of the producer and its stages, in one place, with its unit: what an option is when it
 * is left out. The options reference and the README's table state the same values.
 *
 * @example
 * ```ts
 * import { DEFAULTS, createProducer } from 'rxjs-kinesis';
 * const producer = createProducer({ client, streamName: 'events', recordTtlMs: 2 * DEFAULTS.recordTtlMs });
 * ```
 */
export const DEFAULTS = Object.freeze({
  /** Largest record, partition key + data, in bytes: the service's default. */
  maxRecordBytes: RECORD_DEFAULT_BYTES,
  /** Entries in one PutRecords request. */
  maxBatchCount: PUT_RECORDS_MAX_RECORDS,
  /** Bytes (partition keys + data) in one PutRecords request. */
  maxBatchBytes: PUT_RECORDS_DEFAULT_BYTES,
  /** Longest wait of a value in a part-filled batch, in ms. */
  lingerMs: 100,
  /** Time from a value's arrival to its `Expired` outcome if it is not accepted, in ms. */
  recordTtlMs: 30_000,
  /** Bound on one PutRecords or ListShards request, in ms. */
  requestTimeoutMs: 10_000,
  /** PutRecords requests in flight per shard. */
  maxInFlightPerShard: 4,
  /** PutRecords requests in flight in all. */
  maxConcurrentRequests: 64,
  /** Full-jitter backoff: cap of the first wait and largest wait, in ms. */
  retry: Object.freeze({ baseDelayMs: 100, maxDelayMs: 5_000 }),
  /** Share of each shard's budget used, in %. */
  rateLimit: 100,
  /** A shard's write budget: records per second and bytes (partition keys + data) per second. */
  shardBudget: Object.freeze({ recordsPerSecond: SHARD_RECORDS_PER_SECOND, bytesPerSecond: SHARD_BYTES_PER_SECOND }),
  /** AIMD on service throttles: factor per throttle, fraction of the top regained per second, floor as a fraction, ms between decreases. */
  adaptiveRate: Object.freeze({ decreaseFactor: 0.8, increasePerSecond: 0.05, minFraction: 0.05, cooldownMs: 200 }),
  /** KPL aggregation when turned on with `{}`: bytes and user records per aggregate. */
  aggregation: DEFAULT_AGGREGATION,
  /** Age after which the shard map is reloaded as batches go out, in ms; 0 turns it off. */
  shardMapMaxAgeMs: 0,
  /** Memory ceiling: values held at once. */
  maxBufferedRecords: 500_000,
  /** Memory ceiling: bytes (partition keys + data) held at once. */
  maxBufferedBytes: 128 * MiB,
  /** What happens to a value that does not fit. */
  overflow: 'fail' as 'fail' | 'dropOldest' | 'dropIncoming',
  /** Length of a metrics interval, the KPL's. */
  metricsIntervalMs: 60_000,
  /** `pressure$` turns `'high'` at this fraction of a bound. */
  highWatermark: 0.8,
  /** `pressure$` turns back to `'ok'` below this fraction of every bound. */
  lowWatermark: 0.5,
});
