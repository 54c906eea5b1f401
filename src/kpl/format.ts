/**
 * Wire constants of the KPL aggregated record format: the magic prefix, the MD5 trailer and the protobuf
 * tags of `AggregatedRecord` and `Record`.
 *
 * @see https://github.com/awslabs/amazon-kinesis-producer/blob/master/aggregation-format.md
 */

/**
 * The four bytes every aggregate starts with; consumers (KCL, `aws-kinesis-agg`) look for them to decide
 * whether a Kinesis record needs deaggregating.
 *
 * @example
 * ```ts
 * import { AGGREGATE_MAGIC } from 'rxjs-kinesis/kpl';
 * const looksAggregated = AGGREGATE_MAGIC.every((byte, i) => data[i] === byte);
 * ```
 */
export const AGGREGATE_MAGIC: readonly number[] = Object.freeze([0xf3, 0x89, 0x9a, 0xc2]);

/**
 * Length of {@link AGGREGATE_MAGIC}, in bytes: the protobuf message starts at this offset.
 *
 * @example
 * ```ts
 * const message = aggregate.subarray(AGGREGATE_MAGIC_BYTES, aggregate.length - AGGREGATE_CHECKSUM_BYTES);
 * ```
 */
export const AGGREGATE_MAGIC_BYTES = 4;

/**
 * Length of the MD5 digest that closes an aggregate, in bytes.
 *
 * @example
 * ```ts
 * const checksum = aggregate.subarray(aggregate.length - AGGREGATE_CHECKSUM_BYTES);
 * ```
 */
export const AGGREGATE_CHECKSUM_BYTES = 16;

/**
 * Bytes an aggregate adds around its protobuf message (magic prefix + MD5 trailer); an aggregate holding no
 * record is exactly this long.
 *
 * @example
 * ```ts
 * import { AGGREGATE_OVERHEAD_BYTES, createAggregateBuilder } from 'rxjs-kinesis/kpl';
 * createAggregateBuilder().size === AGGREGATE_OVERHEAD_BYTES; // true
 * ```
 */
export const AGGREGATE_OVERHEAD_BYTES = AGGREGATE_MAGIC_BYTES + AGGREGATE_CHECKSUM_BYTES;

// A protobuf tag byte is (field number << 3) | wire type; every field we write has a number below 16,
// so each tag fits in one byte.
const WIRE_VARINT = 0;
const WIRE_LEN = 2;

/** `AggregatedRecord.partition_key_table` (field 1, length-delimited). */
export const TAG_PARTITION_KEY_TABLE = (1 << 3) | WIRE_LEN;
/** `AggregatedRecord.explicit_hash_key_table` (field 2, length-delimited). */
export const TAG_EXPLICIT_HASH_KEY_TABLE = (2 << 3) | WIRE_LEN;
/** `AggregatedRecord.records` (field 3, length-delimited). */
export const TAG_RECORDS = (3 << 3) | WIRE_LEN;
/** `Record.partition_key_index` (field 1, varint). */
export const TAG_PARTITION_KEY_INDEX = (1 << 3) | WIRE_VARINT;
/** `Record.explicit_hash_key_index` (field 2, varint). */
export const TAG_EXPLICIT_HASH_KEY_INDEX = (2 << 3) | WIRE_VARINT;
/** `Record.data` (field 3, length-delimited). */
export const TAG_DATA = (3 << 3) | WIRE_LEN;
