import { map, type OperatorFunction } from 'rxjs';
import type { ShardMap } from '../kinesis/shard-map.js';
import { isFailure, type EncodedRecord } from '../records/encode.js';
import { failure, type PutFailure } from '../records/outcome.js';
import { routeRecord, type RoutedRecord } from '../records/route.js';

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
