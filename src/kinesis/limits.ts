/** Service limits of Kinesis Data Streams that the producer respects, with their units. */

/**
 * Bytes in one mebibyte: the unit the service states its limits in.
 *
 * @example
 * ```ts
 * import { MiB } from 'rxjs-kinesis/kinesis';
 * import { createProducer } from 'rxjs-kinesis';
 * const producer = createProducer({ client, streamName: 'events', maxBufferedBytes: 512 * MiB });
 * ```
 */
export const MiB = 1024 * 1024;

/**
 * Entries in one PutRecords request.
 *
 * @example
 * ```ts
 * import { PUT_RECORDS_MAX_RECORDS } from 'rxjs-kinesis/kinesis';
 * import { collectBatches } from 'rxjs-kinesis';
 * routed$.pipe(collectBatches({ maxCount: PUT_RECORDS_MAX_RECORDS / 2 })); // 250-entry requests: each answer comes sooner
 * ```
 */
export const PUT_RECORDS_MAX_RECORDS = 500;
/**
 * Bytes (partition keys + data) in one PutRecords request by default: 5 MiB.
 *
 * @example
 * ```ts
 * import { PUT_RECORDS_DEFAULT_BYTES } from 'rxjs-kinesis/kinesis';
 * const fits = (batchBytes: number, recordBytes: number) => batchBytes + recordBytes <= PUT_RECORDS_DEFAULT_BYTES;
 * ```
 */
export const PUT_RECORDS_DEFAULT_BYTES = 5 * MiB;
/**
 * Bytes (partition keys + data) in one PutRecords request at most: 10 MiB, allowed since Oct 2025.
 *
 * @example
 * ```ts
 * import { PUT_RECORDS_MAX_BYTES } from 'rxjs-kinesis/kinesis';
 * import { createProducer } from 'rxjs-kinesis';
 * const producer = createProducer({ client, streamName: 'events', maxBatchBytes: PUT_RECORDS_MAX_BYTES }); // fewer, larger requests
 * ```
 */
export const PUT_RECORDS_MAX_BYTES = 10 * MiB;

/**
 * Bytes (partition key + data) in one record by default: 1 MiB.
 *
 * @example
 * ```ts
 * import { RECORD_DEFAULT_BYTES } from 'rxjs-kinesis/kinesis';
 * const maxDataBytes = RECORD_DEFAULT_BYTES - new TextEncoder().encode(partitionKey).length; // the key counts too
 * ```
 */
export const RECORD_DEFAULT_BYTES = 1 * MiB;
/**
 * Bytes (partition key + data) in one record at most: 10 MiB, where the stream's `MaxRecordSizeInKiB` allows it.
 *
 * @example
 * ```ts
 * import { RECORD_MAX_BYTES } from 'rxjs-kinesis/kinesis';
 * import { createProducer } from 'rxjs-kinesis';
 * const producer = createProducer({ client, streamName: 'images', maxRecordBytes: RECORD_MAX_BYTES }); // MaxRecordSizeInKiB: 10240
 * ```
 */
export const RECORD_MAX_BYTES = 10 * MiB;

/**
 * Fewest Unicode characters in a partition key: an empty key is refused.
 *
 * @example
 * ```ts
 * import { PARTITION_KEY_MIN_CHARS } from 'rxjs-kinesis/kinesis';
 * const partitionKey = tenantId.length >= PARTITION_KEY_MIN_CHARS ? tenantId : 'no-tenant'; // '' would fail as InvalidRecord
 * ```
 */
export const PARTITION_KEY_MIN_CHARS = 1;
/**
 * Most Unicode characters in a partition key.
 *
 * @example
 * ```ts
 * import { PARTITION_KEY_MAX_CHARS } from 'rxjs-kinesis/kinesis';
 * const partitionKey = url.slice(0, PARTITION_KEY_MAX_CHARS); // a longer key would fail as InvalidRecord
 * ```
 */
export const PARTITION_KEY_MAX_CHARS = 256;

/**
 * Largest hash key: 2^128 - 1.
 *
 * @example
 * ```ts
 * import { SplitShardCommand } from '@aws-sdk/client-kinesis';
 * import { HASH_KEY_MAX } from 'rxjs-kinesis/kinesis';
 * const NewStartingHashKey = ((HASH_KEY_MAX + 1n) / 2n).toString(); // halves the key space of a one-shard stream
 * await client.send(new SplitShardCommand({ StreamName: 'events', ShardToSplit: 'shardId-000000000000', NewStartingHashKey }));
 * ```
 */
export const HASH_KEY_MAX = (1n << 128n) - 1n;
/**
 * Decimal digits of the largest hash key, 39: a longer `explicitHashKey` is out of range before it is parsed.
 *
 * @example
 * ```ts
 * import { HASH_KEY_MAX, HASH_KEY_MAX_DIGITS } from 'rxjs-kinesis/kinesis';
 * const valid = (key: string) => /^(0|[1-9][0-9]*)$/.test(key) && key.length <= HASH_KEY_MAX_DIGITS && BigInt(key) <= HASH_KEY_MAX;
 * ```
 */
export const HASH_KEY_MAX_DIGITS = 39;

/**
 * Write budget of one shard, in records per second.
 *
 * @example
 * ```ts
 * import { SHARD_RECORDS_PER_SECOND } from 'rxjs-kinesis/kinesis';
 * const shardsForRecords = Math.ceil(peakRecordsPerSecond / SHARD_RECORDS_PER_SECOND);
 * ```
 */
export const SHARD_RECORDS_PER_SECOND = 1000;
/**
 * Write budget of one shard, in bytes (partition key + data) per second.
 *
 * @example
 * ```ts
 * import { SHARD_BYTES_PER_SECOND } from 'rxjs-kinesis/kinesis';
 * const shardsForBytes = Math.ceil(peakBytesPerSecond / SHARD_BYTES_PER_SECOND); // a stream needs the larger of both counts
 * ```
 */
export const SHARD_BYTES_PER_SECOND = 1 * MiB;
