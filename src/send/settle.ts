import type { KinesisEntry } from '../batch/aggregate.js';
import type { BatchResult } from '../kinesis/put-records.js';
import { classifyCode } from '../kinesis/classify.js';
import type { RoutedRecord } from '../records/route.js';

const THROTTLE_CODE = 'ProvisionedThroughputExceededException';

/** What the owner of the records does with each part of an answer. */
export interface SettleHooks<R extends RoutedRecord<unknown>> {
  /** Kinesis stored the record (`subSequenceNumber`: its index in an aggregate). */
  sent(record: R, shardId: string, sequenceNumber: string, subSequenceNumber: number | undefined): void;
  /**
   * An aggregate landed on a shard its records were not routed to (the stream resharded): a consumer of
   * that shard drops the sub-records outside its range, so each must be checked against a new map.
   */
  unpredicted(records: R[], shardId: string, sequenceNumber: string): void;
  failed(record: R, code: string, message: string): void;
  /** Records of entries a later attempt may get through. */
  retry(records: R[], code: string): void;
  /** Entries of a request refused as invalid as a whole: send them again in smaller requests. */
  split(entries: KinesisEntry<R>[]): void;
  /** Nothing can be written to the stream. */
  breakStream(code: string, message: string): void;
}

/** What the answer says about the shard and the map, for the limiter and the shard map. */
export interface Settled {
  /** Entries the service throttled. */
  throttled: number;
  /** A record landed on a shard the map did not predict: the map is stale. */
  unpredicted: boolean;
}

/** The user records an entry carries. */
export const recordsOf = <R extends RoutedRecord<unknown>>(entry: KinesisEntry<R>): R[] => ('records' in entry ? entry.records : [entry]);

/** How many records an entry carries: `recordsOf(entry).length` without an array per plain record. */
export const recordCount = (entry: KinesisEntry<RoutedRecord<unknown>>): number => ('records' in entry ? entry.records.length : 1);

/**
 * Reads one PutRecords answer entry by entry and tells the records' owner what became of each: the
 * settle stage of the send path, the same for the producer and for `putBatches`.
 */
export function settle<R extends RoutedRecord<unknown>>(result: BatchResult<KinesisEntry<R>>, hooks: SettleHooks<R>): Settled {
  let unpredicted = false;
  for (const { entry, shardId, sequenceNumber } of result.succeeded) {
    if (shardId !== entry.shardId) unpredicted = true;
    if (!('records' in entry)) hooks.sent(entry, shardId, sequenceNumber, undefined);
    else if (shardId !== entry.shardId) hooks.unpredicted(entry.records, shardId, sequenceNumber);
    else entry.records.forEach((r, i) => hooks.sent(r, shardId, sequenceNumber, i));
  }
  if (result.requestError?.kind === 'stream') hooks.breakStream(result.requestError.code, result.requestError.message);
  for (const { entry, code, message } of result.failed) {
    if (classifyCode(code) === 'stream') hooks.breakStream(code, message);
    for (const r of recordsOf(entry)) hooks.failed(r, code, message);
  }
  if (result.split.length > 0) hooks.split(result.split);
  if (result.retry.length > 0) hooks.retry(result.retry.flatMap((r) => recordsOf(r.entry)), result.retry[0].code);
  let throttled = 0;
  for (const r of result.retry) if (r.code === THROTTLE_CODE) throttled++;
  return { throttled, unpredicted };
}

/**
 * The halves a refused request is sent again in; a lone aggregate is unpacked into its records, so the
 * records that break the rules fail alone and the others are sent.
 */
export function halves<R extends RoutedRecord<unknown>>(entries: KinesisEntry<R>[]): KinesisEntry<R>[][] {
  if (entries.length === 1) return [recordsOf(entries[0])];
  const middle = entries.length >> 1;
  return [entries.slice(0, middle), entries.slice(middle)];
}
