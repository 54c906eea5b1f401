import { Observable, type OperatorFunction } from 'rxjs';
import { createBatcher, resolveBatchOptions, type Batch, type BatchOptions } from '../batch/batcher.js';
import { isFailure } from '../records/encode.js';
import type { PutFailure } from '../records/outcome.js';
import type { RoutedRecord } from '../records/route.js';

/**
 * Collects routed records into per-shard PutRecords batches by count, bytes and linger time: the
 * third stage. Failures from earlier stages pass through at once; on completion every part-filled
 * batch is emitted.
 *
 * @example
 * ```ts
 * import { collectBatches } from 'rxjs-kinesis';
 * routed$.pipe(collectBatches({ maxCount: 500, lingerMs: 100 }));
 * ```
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
