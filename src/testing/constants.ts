/** Bytes in one mebibyte: the unit the service states its limits in. */
export const MiB = 1024 * 1024;

/**
 * Per-shard write budget of a provisioned shard: records per second.
 *
 * @example
 * ```ts
 * import { SHARD_RECORDS_PER_SECOND } from 'rxjs-kinesis/testing';
 * const [busiest] = kinesis.stats().shards.sort((a, b) => b.maxWindowRecords - a.maxWindowRecords);
 * console.log(busiest.maxWindowRecords / SHARD_RECORDS_PER_SECOND); // the busiest second against the budget
 * ```
 */
export const SHARD_RECORDS_PER_SECOND = 1000;
/**
 * Per-shard write budget of a provisioned shard: partition key + data bytes per second.
 *
 * @example
 * ```ts
 * import { SHARD_BYTES_PER_SECOND } from 'rxjs-kinesis/testing';
 * const leastSeconds = totalBytes / (shardCount * SHARD_BYTES_PER_SECOND); // with limits on, about the least a run takes
 * ```
 */
export const SHARD_BYTES_PER_SECOND = MiB;
/** A shard's bucket holds this many seconds of budget, so an idle shard may absorb one second's burst. */
export const SHARD_BURST_SECONDS = 1;

/**
 * Entries per PutRecords request.
 *
 * @example
 * ```ts
 * import { PUT_RECORDS_MAX_RECORDS } from 'rxjs-kinesis/testing';
 * const Records = Array.from({ length: PUT_RECORDS_MAX_RECORDS + 1 }, (_, i) => ({ PartitionKey: `k${i}`, Data: new Uint8Array(1) }));
 * await kinesis.client().send(new PutRecordsCommand({ StreamName: 'demo', Records })); // rejects: ValidationException, one entry too many
 * ```
 */
export const PUT_RECORDS_MAX_RECORDS = 500;
/**
 * Bytes (partition keys + data) per PutRecords request before Oct 2025; kept as the default.
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_REQUEST_BYTES, startLocalKinesis } from 'rxjs-kinesis/testing';
 * const kinesis = await startLocalKinesis({ maxRequestBytes: 2 * DEFAULT_MAX_REQUEST_BYTES }); // as the service allows today
 * ```
 */
export const DEFAULT_MAX_REQUEST_BYTES = 5 * MiB;
/** Bytes (partition keys + data) per PutRecords request the service allows at most today. */
export const MAX_REQUEST_BYTES_CEILING = 10 * MiB;
/**
 * Bytes (partition key + data) of one record by default.
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_RECORD_BYTES } from 'rxjs-kinesis/testing';
 * const Data = new Uint8Array(DEFAULT_MAX_RECORD_BYTES); // with its partition key, one byte over the limit
 * await kinesis.client().send(new PutRecordsCommand({ StreamName: 'demo', Records: [{ PartitionKey: 'a', Data }] })); // rejects: ValidationException
 * ```
 */
export const DEFAULT_MAX_RECORD_BYTES = MiB;
/** Bytes (partition key + data) of one record on a stream whose MaxRecordSizeInKiB was raised to the top. */
export const MAX_RECORD_BYTES_CEILING = 10 * MiB;
/** Partition key length in characters. */
export const PARTITION_KEY_MAX_CHARS = 256;
/** Exclusive upper bound of the hash key space. */
export const HASH_KEY_SPACE = 1n << 128n;

/** Width of the sliding window that stats report the busiest second over, in milliseconds. */
export const STATS_WINDOW_MS = 1000;

/** Account id the service names in its throttling messages; no real account is involved. */
export const ACCOUNT_ID = '123456789012';
export const DEFAULT_REGION = 'us-east-1';
/** Fixed default seed so a failing run replays the same faults. */
export const DEFAULT_SEED = 20131202;
export const LOOPBACK = '127.0.0.1';

export const TARGET_PREFIX = 'Kinesis_20131202.';
export const AMZ_JSON = 'application/x-amz-json-1.1';

/** kinesalite answers 413 above 7 MiB of body; forwarded batches are cut below that. */
export const UPSTREAM_CHUNK_BODY_BYTES = 6 * MiB;
/** Partition keys remembered per shard map; random keys would otherwise grow the cache without bound. */
export const ROUTE_CACHE_MAX_KEYS = 100_000;
/** Interval between status polls while waiting for a stream to become ACTIVE, in milliseconds. */
export const ACTIVE_POLL_MS = 5;
/** Give up waiting for ACTIVE after this many milliseconds. */
export const ACTIVE_TIMEOUT_MS = 30_000;
