import { concatMap, type OperatorFunction } from 'rxjs';
import { createShardAggregator, type AggregationOptions, type KinesisEntry } from '../batch/aggregate.js';
import type { Batch } from '../batch/batcher.js';
import type { PutFailure } from '../records/outcome.js';
import type { RoutedRecord } from '../records/route.js';

/**
 * Packs each batch's records into KPL aggregates: the optional stage between `collectBatches` and
 * `putBatches`.
 *
 * <span class="informal">Only records of one shard share an aggregate; its partition key is its first
 * record's and its explicit hash key pins it to that shard, so consumers that deaggregate (the KCL,
 * `aws-kinesis-agg`) keep every record.</span>
 *
 * ## Examples
 *
 * @example
 * ```ts
 * import { encodeRecords, routeToShards, collectBatches, aggregateRecords, putBatches } from 'rxjs-kinesis';
 * events$.pipe(
 *   encodeRecords(toRecord), routeToShards(map),
 *   collectBatches({ maxCount: 500, maxBytes: 5 * 1024 * 1024 }),
 *   aggregateRecords({ maxBytes: 51_200 }),
 *   putBatches({ client, streamName: 'events' }),
 * );
 * ```
 *
 * @see {@link collectBatches} the stage before
 * @see {@link putBatches} the stage after
 *
 * @param options the aggregates' limits (bytes, records) and the record and request limits they keep to
 * @returns an operator that emits batches of aggregates (a lone record stays plain), and the failures
 */
export function aggregateRecords<T>(
  options: AggregationOptions = {},
): OperatorFunction<Batch<RoutedRecord<T>> | PutFailure<T>, Batch<KinesisEntry<RoutedRecord<T>>> | PutFailure<T>> {
  const aggregate = createShardAggregator(options);
  return concatMap((item) => ('ok' in item ? [item] : aggregate(item.shardId, item.entries)));
}
