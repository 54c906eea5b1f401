import { createAggregateBuilder, DEFAULT_AGGREGATION, type AggregationLimits } from '../kpl/index.js';
import { AGGREGATE_OVERHEAD_BYTES } from '../kpl/format.js';
import type { OrderedUnit } from '../records/encode.js';
import type { Batch } from './batcher.js';
import { hashKeyToDecimal } from '../kinesis/hash.js';
import { PARTITION_KEY_MAX_CHARS, PUT_RECORDS_DEFAULT_BYTES, PUT_RECORDS_MAX_RECORDS, RECORD_DEFAULT_BYTES } from '../kinesis/limits.js';
import type { RoutedRecord } from '../records/route.js';
import { utf8Length } from '../utf8/utf8.js';

/**
 * One Kinesis record that carries several user records of one shard in the KPL format.
 *
 * @example
 * ```ts
 * import type { AggregateEntry, RoutedRecord } from 'rxjs-kinesis';
 * const fanOut = (e: AggregateEntry<RoutedRecord<unknown>>) => `${e.records.length} user records in ${e.size} bytes`;
 * ```
 */
export interface AggregateEntry<R extends RoutedRecord<unknown>> {
  shardId: string;
  /** Outer partition key (the first user record's) + aggregate bytes. */
  size: number;
  partitionKey: string;
  /** The first user record's hash key, pinning the aggregate to the shard its records were routed to. */
  explicitHashKey: string;
  data: Uint8Array;
  attempts: number;
  /** Its PutRecords entry as JSON, made at its first request and reused by its retries. */
  json?: string;
  /** Length of `json` in UTF-8, in bytes. */
  jsonBytes?: number;
  /** The user records, in the order consumers number them (subSequenceNumber). */
  records: R[];
}

/**
 * What a PutRecords batch carries: plain records and aggregates.
 *
 * @example
 * ```ts
 * const valuesOf = (entries: KinesisEntry<RoutedRecord<Event>>[]) => entries.flatMap((e) => membersOf(e).map((r) => r.value));
 * ```
 */
export type KinesisEntry<R extends RoutedRecord<unknown>> = R | AggregateEntry<R>;

/**
 * The user records an entry carries.
 *
 * @example
 * ```ts
 * for (const entry of batch.entries) console.log(membersOf(entry).length); // 1 for a plain record
 * ```
 */
export function membersOf<R extends RoutedRecord<unknown>>(entry: KinesisEntry<R>): R[] {
  return 'records' in entry ? entry.records : [entry];
}

/**
 * Options of {@link aggregateRecords} and {@link createShardAggregator}: the aggregates' limits, and the
 * record and request limits the aggregates and their batches stay within.
 *
 * @example
 * ```ts
 * import { aggregateRecords, type AggregationOptions } from 'rxjs-kinesis';
 * const options: AggregationOptions = { maxBytes: 25_600, maxCount: 500, maxBatchBytes: 10 * 1024 * 1024 }; // a stream taking 10 MiB requests
 * batches$.pipe(aggregateRecords(options));
 * ```
 */
export interface AggregationOptions extends Partial<AggregationLimits> {
  /** Largest Kinesis record, partition key + data, in bytes; aggregates stay within it. Default 1 MiB. */
  maxRecordBytes?: number;
  /** Entries in one PutRecords batch. Default 500. */
  maxBatchCount?: number;
  /** Bytes (partition keys + data) in one PutRecords batch. Default 5 MiB. */
  maxBatchBytes?: number;
}

/** Bytes the outer partition key can take at most: 256 characters of up to 4 UTF-8 bytes. */
const MAX_PARTITION_KEY_BYTES = PARTITION_KEY_MAX_CHARS * 4;

/**
 * Packs a shard's records into one KPL aggregate at a time, from the head of a list: what the
 * aggregate stage does for the producer's shard queues and for {@link aggregateRecords}. A record
 * that would travel alone is sent as a plain record.
 */
export function createAggregatePacker(options: AggregationOptions = {}) {
  const maxRecordBytes = options.maxRecordBytes ?? RECORD_DEFAULT_BYTES;
  /** An aggregate's data at most, so that with its partition key it stays a valid record. */
  const maxBytes = Math.min(options.maxBytes ?? DEFAULT_AGGREGATION.maxBytes, maxRecordBytes - MAX_PARTITION_KEY_BYTES);
  const maxCount = options.maxCount ?? DEFAULT_AGGREGATION.maxCount;
  const builder = createAggregateBuilder({ maxBytes, maxCount });
  const fitsWhole = (unit: OrderedUnit) => builder.count + unit.count <= maxCount && builder.size + unit.bytes - AGGREGATE_OVERHEAD_BYTES <= maxBytes;

  return {
    /** Data bytes of a whole aggregate. */
    maxBytes,
    /** User records in one aggregate. */
    maxCount,
    /** The most an entry of this packer weighs: a full aggregate with the longest partition key. */
    maxEntryBytes: maxBytes + MAX_PARTITION_KEY_BYTES,
    /**
     * Takes records from the head of `records` (calling `take` for each one it keeps) until the next
     * one does not fit the aggregate, and returns the entry they make.
     */
    pack<R extends RoutedRecord<unknown>>(shardId: string, peek: () => R | undefined, take: () => R): KinesisEntry<R> | undefined {
      builder.reset();
      const records: R[] = [];
      for (let r = peek(); r !== undefined; r = peek()) {
        // A key's unit under per-key order goes whole in one aggregate: a new one unless it surely fits.
        const unit = r.unit;
        if (unit !== undefined && unit.count > 1 && records.length > 0 && records[records.length - 1].unit !== unit && !fitsWhole(unit)) break;
        if (!builder.tryAdd(r)) break;
        records.push(take());
      }
      if (records.length === 0) return undefined;
      if (records.length === 1) return records[0];
      const data = builder.build();
      const first = records[0];
      return { shardId, size: utf8Length(first.partitionKey) + data.length, partitionKey: first.partitionKey, explicitHashKey: hashKeyToDecimal(first.hashKey), data, attempts: 0, json: undefined, jsonBytes: undefined, records };
    },
  };
}

export type AggregatePacker = ReturnType<typeof createAggregatePacker>;

/**
 * Packs one shard's user records into KPL aggregates and cuts the result into PutRecords batches
 * that respect the count and byte limits exactly. A record that would travel alone in an
 * aggregate is sent as a plain record.
 *
 * @example
 * ```ts
 * const aggregate = createShardAggregator({ maxBytes: 51_200 });
 * const batches = aggregate('shardId-000000000000', routedRecords); // PutRecords batches of aggregates
 * ```
 */
export function createShardAggregator(options: AggregationOptions = {}) {
  const maxCount = options.maxBatchCount ?? PUT_RECORDS_MAX_RECORDS;
  const maxBytes = options.maxBatchBytes ?? PUT_RECORDS_DEFAULT_BYTES;
  const packer = createAggregatePacker(options);

  /** Aggregates the records of one shard and cuts the entries into batches. */
  return function aggregate<R extends RoutedRecord<unknown>>(shardId: string, records: readonly R[]): Batch<KinesisEntry<R>>[] {
    let next = 0;
    const batches: Batch<KinesisEntry<R>>[] = [];
    let current: Batch<KinesisEntry<R>> | undefined;
    for (let entry = packer.pack(shardId, () => records[next], () => records[next++]); entry !== undefined; entry = packer.pack(shardId, () => records[next], () => records[next++])) {
      if (current === undefined || current.entries.length >= maxCount || current.bytes + entry.size > maxBytes) {
        current = { shardId, entries: [], bytes: 0 };
        batches.push(current);
      }
      current.entries.push(entry);
      current.bytes += entry.size;
    }
    return batches;
  };
}
