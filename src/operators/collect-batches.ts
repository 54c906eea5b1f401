import { Observable, type OperatorFunction } from 'rxjs';
import { createBatcher, resolveBatchOptions, type Batch, type BatchOptions } from '../batch/batcher.js';
import { isFailure } from '../records/encode.js';
import type { PutFailure } from '../records/outcome.js';
import type { RoutedRecord } from '../records/route.js';

/**
 * Collects routed records into per-shard PutRecords batches: the third stage.
 *
 * <span class="informal">A shard's batch goes out when it is full (entries or bytes) or has lingered
 * `lingerMs`; failures pass through at once, and on completion every part-filled batch is emitted.</span>
 *
 * ## Examples
 *
 * @example
 * ```ts
 * import { collectBatches } from 'rxjs-kinesis';
 * routed$.pipe(collectBatches({ maxCount: 500, lingerMs: 100 }));
 * ```
 *
 * @see {@link routeToShards} the stage before
 * @see {@link aggregateRecords} the optional stage after
 * @see {@link putBatches} the last stage
 *
 * @param options the batch limits (count, bytes), the linger time and its scheduler
 * @returns an operator that emits each shard's batches, and the failures as they came
 */
export function collectBatches<T>(
  options: BatchOptions = {},
): OperatorFunction<RoutedRecord<T> | PutFailure<T>, Batch<RoutedRecord<T>> | PutFailure<T>> {
  return (source) =>
    new Observable<Batch<RoutedRecord<T>> | PutFailure<T>>((subscriber) => {
      const batcher = createBatcher<RoutedRecord<T>>(resolveBatchOptions(options), (batch) => subscriber.next(batch));
      const subscription = source.subscribe({
        next: (item) => {
          if (isFailure(item)) subscriber.next(item);
          else batcher.add(item);
        },
        error: (err) => {
          batcher.flush();
          subscriber.error(err);
        },
        complete: () => {
          batcher.flush();
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        batcher.dispose();
      };
    });
}
