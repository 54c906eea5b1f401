import { map, type OperatorFunction } from 'rxjs';
import { isFailure, type EncodedRecord } from './encode.js';
import type { ShardMap } from './shard-map.js';
import { failure, type PutFailure } from './types.js';

/**
 * A record with the shard it is predicted to land on.
 *
 * @example
 * ```ts
 * import type { RoutedRecord } from 'rxjs-kinesis';
 * const perShard = new Map<string, number>();
 * const count = (r: RoutedRecord<unknown>) => perShard.set(r.shardId, (perShard.get(r.shardId) ?? 0) + 1);
 * ```
 */
export interface RoutedRecord<T> extends EncodedRecord<T> {
  shardId: string;
}

/**
 * Sets the record's predicted shard from the map; false when no open shard holds its hash key.
 * Mutates the record so the hot path allocates nothing.
 *
 * @example
 * ```ts
 * const record = encodeRecord(v, toRecord, 1024 * 1024, Date.now());
 * if (!('ok' in record) && routeRecord(record, shardMap)) console.log(record.shardId); // 'ok' in a failed outcome
 * ```
 */
export function routeRecord<T>(record: EncodedRecord<T>, shardMap: ShardMap): record is RoutedRecord<T> {
  const shard = shardMap.shardFor(record.hashKey);
  if (shard === undefined) return false;
  (record as RoutedRecord<T>).shardId = shard.shardId;
  return true;
}

/**
 * Routes each encoded record to the open shard whose hash key range holds its hash key: the second
 * stage. Failures from earlier stages pass through; a record no shard holds fails with `NoShard`.
 *
 * @param shardMap the map, or a function returning the current one (it may change after resharding)
 *
 * @example
 * ```ts
 * import { encodeRecords, routeToShards, loadShardMap } from 'rxjs-kinesis';
 * const shardMap = await loadShardMap(client, { streamName: 'events' });
 * events$.pipe(encodeRecords(toRecord), routeToShards(shardMap));
 * ```
 */
export function routeToShards<T>(
  shardMap: ShardMap | (() => ShardMap),
): OperatorFunction<EncodedRecord<T> | PutFailure<T>, RoutedRecord<T> | PutFailure<T>> {
  const current = typeof shardMap === 'function' ? shardMap : () => shardMap;
  return map((item) => {
    if (isFailure(item) || routeRecord(item, current())) return item as RoutedRecord<T> | PutFailure<T>;
    return failure(item.value, 'NoShard', `no open shard holds hash key 0x${item.hashKey}`, true, item.attempts);
  });
}
