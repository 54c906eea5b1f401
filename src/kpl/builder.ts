import { addRecord, createBuilderState, encodeState, resetState } from './builder-state.js';
import { defaultMd5 } from './checksum.js';
import { type AggregateBuilderOptions, DEFAULT_AGGREGATION, checkLimit } from './limits.js';
import type { AggregationInput } from './types.js';

/**
 * Fills one KPL aggregate record by record. Returned by {@link createAggregateBuilder}.
 *
 * @example
 * ```ts
 * const builder: AggregateBuilder = createAggregateBuilder({ maxBytes: 1_000, maxCount: 10 });
 * builder.tryAdd({ partitionKey: 'k', data: new Uint8Array(600) }); // true: the first always fits
 * builder.tryAdd({ partitionKey: 'k', data: new Uint8Array(600) }); // false: 1,000 bytes would not hold both
 * builder.size === builder.build().length; // true
 * ```
 */
export interface AggregateBuilder {
  /**
   * Adds `record` unless that would make the aggregate longer than `maxBytes` or hold more than
   * `maxCount` records; then returns `false` and leaves the builder unchanged. The first record of an
   * aggregate is always accepted, so a record bigger than `maxBytes` travels alone.
   */
  tryAdd(record: AggregationInput): boolean;
  /** Records added since the last `reset()`. */
  readonly count: number;
  /** Exact length of what `build()` returns now, in bytes. */
  readonly size: number;
  /** Encodes the records added so far: magic, protobuf message, MD5. Does not reset. */
  build(): Uint8Array;
  /** Empties the builder for the next aggregate. */
  reset(): void;
}

/**
 * Creates a builder that packs user records into one aggregate in the KPL format, keeping its exact
 * encoded size up to date in O(1) per record, so the caller can cut aggregates at a byte limit without
 * encoding twice. Validation (key lengths, hash key range) is the caller's job, and so is routing: put
 * only records bound for the same shard in one aggregate (consumers drop sub-records whose hash key is
 * outside their shard), and send a lone record as a plain record rather than an aggregate of one.
 *
 * @example
 * ```ts
 * import { createAggregateBuilder, DEFAULT_AGGREGATION } from 'rxjs-kinesis/kpl';
 *
 * const builder = createAggregateBuilder(DEFAULT_AGGREGATION);
 * const aggregates: Uint8Array[] = [];
 * for (const record of records) {
 *   if (!builder.tryAdd(record)) {
 *     aggregates.push(builder.build());
 *     builder.reset();
 *     builder.tryAdd(record); // always accepted by an empty builder
 *   }
 * }
 * if (builder.count > 0) aggregates.push(builder.build());
 * ```
 */
export function createAggregateBuilder(
  options: AggregateBuilderOptions = DEFAULT_AGGREGATION,
): AggregateBuilder {
  const state = createBuilderState(
    checkLimit('maxBytes', options.maxBytes),
    checkLimit('maxCount', options.maxCount),
    options.md5 ?? defaultMd5,
  );
  return {
    tryAdd: (record) => addRecord(state, record),
    get count() {
      return state.count;
    },
    get size() {
      return state.size;
    },
    build: () => encodeState(state),
    reset: () => resetState(state),
  };
}
