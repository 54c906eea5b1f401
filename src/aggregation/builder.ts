import { defaultMd5 } from './checksum';
import {
  AGGREGATE_MAGIC,
  AGGREGATE_MAGIC_BYTES,
  AGGREGATE_OVERHEAD_BYTES,
  TAG_DATA,
  TAG_EXPLICIT_HASH_KEY_INDEX,
  TAG_EXPLICIT_HASH_KEY_TABLE,
  TAG_PARTITION_KEY_INDEX,
  TAG_PARTITION_KEY_TABLE,
  TAG_RECORDS,
} from './format';
import { type AggregateBuilderOptions, DEFAULT_AGGREGATION, checkLimit } from './limits';
import { createKeyTable } from './key-table';
import type { AggregationInput } from './types';
import { utf8Length } from './utf8';
import { delimitedSize, varintSize, writeVarint } from './varint';

// Every tag we write is one byte (field numbers below 16).
const TAG_BYTES = 1;
// Marks a record without an explicit hash key in the per-record index array.
const NO_KEY = -1;

/**
 * Fills one KPL aggregate record by record. Returned by {@link createAggregateBuilder}.
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
 * encoding twice. Validation (key lengths, hash key range) is the caller's job.
 *
 * @example
 * ```ts
 * import { createAggregateBuilder, DEFAULT_AGGREGATION } from 'rxjs-kinesis';
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
  const maxBytes = checkLimit('maxBytes', options.maxBytes);
  const maxCount = checkLimit('maxCount', options.maxCount);
  const md5 = options.md5 ?? defaultMd5;
  const partitionKeys = createKeyTable();
  const hashKeys = createKeyTable();
  // Parallel arrays rather than one object per record: nothing to allocate on the hot path.
  const keyIndexes: number[] = [];
  const hashKeyIndexes: number[] = [];
  const payloads: Uint8Array[] = [];
  let size = AGGREGATE_OVERHEAD_BYTES;

  function recordBodySize(keyIndex: number, hashKeyIndex: number, dataLength: number): number {
    const hashKeyField = hashKeyIndex === NO_KEY ? 0 : TAG_BYTES + varintSize(hashKeyIndex);
    return TAG_BYTES + varintSize(keyIndex) + hashKeyField + delimitedSize(dataLength);
  }

  function tryAdd(record: AggregationInput): boolean {
    const { partitionKey, explicitHashKey, data } = record;
    // Table lookups only peek: nothing changes until the record is known to fit.
    const keyIndex = partitionKeys.indexOf(partitionKey);
    const keyIsNew = keyIndex === partitionKeys.count;
    const keyBytes = keyIsNew ? utf8Length(partitionKey) : 0;
    let grows = keyIsNew ? delimitedSize(keyBytes) : 0;
    let hashKeyIndex = NO_KEY;
    let hashKeyIsNew = false;
    let hashKeyBytes = 0;
    if (explicitHashKey !== undefined) {
      hashKeyIndex = hashKeys.indexOf(explicitHashKey);
      hashKeyIsNew = hashKeyIndex === hashKeys.count;
      if (hashKeyIsNew) {
        hashKeyBytes = utf8Length(explicitHashKey);
        grows += delimitedSize(hashKeyBytes);
      }
    }
    grows += delimitedSize(recordBodySize(keyIndex, hashKeyIndex, data.length));
    const count = payloads.length;
    if (count > 0 && (count >= maxCount || size + grows > maxBytes)) return false;
    if (keyIsNew) partitionKeys.add(partitionKey, keyBytes);
    if (hashKeyIsNew) hashKeys.add(explicitHashKey as string, hashKeyBytes);
    keyIndexes.push(keyIndex);
    hashKeyIndexes.push(hashKeyIndex);
    payloads.push(data);
    size += grows;
    return true;
  }

  function build(): Uint8Array {
    const out = new Uint8Array(size);
    out.set(AGGREGATE_MAGIC, 0);
    // Fields in number order, as protobuf encoders write them: tables first, then records.
    let pos = partitionKeys.write(out, AGGREGATE_MAGIC_BYTES, TAG_PARTITION_KEY_TABLE);
    pos = hashKeys.write(out, pos, TAG_EXPLICIT_HASH_KEY_TABLE);
    for (let i = 0; i < payloads.length; i++) {
      const data = payloads[i];
      const keyIndex = keyIndexes[i];
      const hashKeyIndex = hashKeyIndexes[i];
      out[pos++] = TAG_RECORDS;
      pos = writeVarint(out, pos, recordBodySize(keyIndex, hashKeyIndex, data.length));
      out[pos++] = TAG_PARTITION_KEY_INDEX;
      pos = writeVarint(out, pos, keyIndex);
      if (hashKeyIndex !== NO_KEY) {
        out[pos++] = TAG_EXPLICIT_HASH_KEY_INDEX;
        pos = writeVarint(out, pos, hashKeyIndex);
      }
      out[pos++] = TAG_DATA;
      pos = writeVarint(out, pos, data.length);
      out.set(data, pos);
      pos += data.length;
    }
    out.set(md5(out.subarray(AGGREGATE_MAGIC_BYTES, pos)), pos);
    return out;
  }

  function reset(): void {
    partitionKeys.clear();
    hashKeys.clear();
    keyIndexes.length = 0;
    hashKeyIndexes.length = 0;
    payloads.length = 0;
    size = AGGREGATE_OVERHEAD_BYTES;
  }

  return {
    tryAdd,
    get count() {
      return payloads.length;
    },
    get size() {
      return size;
    },
    build,
    reset,
  };
}
