/** Service limits of Kinesis Data Streams that the producer respects, with their units. */

/** Bytes in one mebibyte. */
export const MiB = 1024 * 1024;

/** Entries in one PutRecords request. */
export const PUT_RECORDS_MAX_RECORDS = 500;
/** Bytes (partition keys + data) in one PutRecords request: 5 MiB by default, 10 MiB since Oct 2025. */
export const PUT_RECORDS_DEFAULT_BYTES = 5 * MiB;
export const PUT_RECORDS_MAX_BYTES = 10 * MiB;

/** Bytes (partition key + data) in one record: 1 MiB by default, up to 10 MiB where the stream's `MaxRecordSizeInKiB` allows. */
export const RECORD_DEFAULT_BYTES = 1 * MiB;
export const RECORD_MAX_BYTES = 10 * MiB;

/** Unicode characters in a partition key. */
export const PARTITION_KEY_MIN_CHARS = 1;
export const PARTITION_KEY_MAX_CHARS = 256;

/** Largest hash key: 2^128 - 1, in decimal digits at most 39. */
export const HASH_KEY_MAX = (1n << 128n) - 1n;
export const HASH_KEY_MAX_DIGITS = 39;

/** Write budget of one shard: records per second and bytes (partition key + data) per second. */
export const SHARD_RECORDS_PER_SECOND = 1000;
export const SHARD_BYTES_PER_SECOND = 1 * MiB;
