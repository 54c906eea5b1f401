import type { EncodedRecord } from './encode.js';
import type { ShardMap } from '../kinesis/shard-map.js';

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
