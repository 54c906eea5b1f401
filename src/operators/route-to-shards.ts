import { map, type OperatorFunction } from 'rxjs';
import type { ShardMap } from '../kinesis/shard-map.js';
import { isFailure, type EncodedRecord } from '../records/encode.js';
import { failure, type PutFailure } from '../records/outcome.js';
import { routeRecord, type RoutedRecord } from '../records/route.js';

/**
 * Predicts each record's shard: the open shard whose hash key range holds the MD5 of its partition key
 * (or its explicit hash key). The second stage.
 *
 * <span class="informal">Failures from earlier stages pass through; a record no open shard holds fails
 * with `NoShard`.</span>
 *
 * ## Examples
 *
 * @example
 * ```ts
 * import { encodeRecords, routeToShards, loadShardMap } from 'rxjs-kinesis';
 * const shardMap = await loadShardMap(client, { streamName: 'events' });
 * events$.pipe(encodeRecords(toRecord), routeToShards(shardMap));
 * ```
 *
 * @see {@link encodeRecords} the stage before
 * @see {@link collectBatches} the stage after
 *
 * @param shardMap the map, or a function returning the current one (it may change after resharding)
 * @returns an operator that emits each record with its `shardId`, and the failures as they came
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
