import type { Md5 } from './types.js';

/**
 * When an aggregate is full. Both limits count what `build()` returns; the outer Kinesis record's own
 * partition key is not included, so keep `maxBytes` below the service's record limit by at least its
 * length (256 UTF-8 characters, at most 1 KiB).
 *
 * @example
 * ```ts
 * import type { AggregationLimits } from 'rxjs-kinesis/kpl';
 * const limits: AggregationLimits = { maxBytes: 25_600, maxCount: 500 };
 * ```
 */
export interface AggregationLimits {
  /** Largest aggregate, in bytes (magic and MD5 included). `Infinity` lifts the limit. */
  maxBytes: number;
  /** Most user records per aggregate. `Infinity` lifts the limit. */
  maxCount: number;
}

/**
 * Options of {@link createAggregateBuilder}: the limits, and the MD5 implementation.
 *
 * @example
 * ```ts
 * import { createHash } from 'node:crypto';
 * const options: AggregateBuilderOptions = {
 *   ...DEFAULT_AGGREGATION,
 *   md5: (bytes) => createHash('md5').update(bytes).digest(),
 * };
 * ```
 */
export interface AggregateBuilderOptions extends AggregationLimits {
  /** MD5 for the trailer. Default: js-md5 (pure JS, browser-safe). */
  md5?: Md5;
}

/**
 * The limits the producer aggregates with unless told otherwise.
 *
 * - `maxBytes: 51_200` (50 KiB) is the KPL's `AggregationMaxSize` default. An aggregate is throttled,
 *   retried and routed as one unit, so a small one keeps the unit of loss and retry small and slices the
 *   per-shard budget of 1 MiB/s finely (about 20 aggregates per shard-second), while already turning
 *   hundreds of small records into one; about 100 aggregates fill a 5 MiB PutRecords request.
 * - `maxCount: 1_000` bounds what one Kinesis record fans out to on the consumer side: the KCL, Lambda
 *   handlers and `aws-kinesis-agg` deaggregate a whole record in memory, one object (and with
 *   `aws-kinesis-agg` one base64 string) per user record, so a batch of 100 aggregates holds at most
 *   100,000 of them. The KPL's own default (2^32 - 1) leaves that unbounded. Records taking more than
 *   51 bytes each (data, a share of the key table, about 4 bytes of framing) reach `maxBytes` first.
 *   The cap costs no throughput: a shard takes 1,000 records/s, and 1,000 aggregates of 1,000 user
 *   records pass its 1 MiB/s as soon as a user record averages more than about one byte.
 *
 * @example
 * ```ts
 * import { DEFAULT_AGGREGATION, createAggregateBuilder } from 'rxjs-kinesis/kpl';
 * const builder = createAggregateBuilder({ ...DEFAULT_AGGREGATION, maxCount: 5_000 });
 * ```
 */
export const DEFAULT_AGGREGATION: Readonly<AggregationLimits> = Object.freeze({
  maxBytes: 51_200,
  maxCount: 1_000,
});

/**
 * Throws a `RangeError` unless `value` is a whole number of at least 1 or `Infinity`.
 *
 * @example
 * ```ts
 * checkLimit('maxCount', 0); // throws RangeError
 * ```
 */
export function checkLimit(name: string, value: number): number {
  if (!(value >= 1) || (value !== Infinity && !Number.isInteger(value))) {
    throw new RangeError(`${name} must be a whole number >= 1 or Infinity, got ${value}`);
  }
  return value;
}
