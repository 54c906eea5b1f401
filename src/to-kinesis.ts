import { Observable, type OperatorFunction } from 'rxjs';
import type { RecordMapper } from './records/encode.js';
import { createProducer } from './producer/create-producer.js';
import type { ProducerOptions } from './producer/options.js';
import type { PutOutcome } from './records/outcome.js';

/**
 * Options of {@link toKinesis}: the producer's options plus the record function.
 *
 * @example
 * ```ts
 * import { toKinesis, type ToKinesisOptions } from 'rxjs-kinesis';
 * const options: ToKinesisOptions<Click> = { client, streamName: 'clicks', lingerMs: 250, record: (c) => ({ partitionKey: c.sessionId, data: JSON.stringify(c) }) };
 * clicks$.pipe(toKinesis(options)).subscribe();
 * ```
 */
export interface ToKinesisOptions<T> extends ProducerOptions {
  /** Maps each value to its partition key and data. */
  record: RecordMapper<T>;
}

/**
 * The one-call sink: a private producer per subscription that closes when the pipeline ends.
 * Prefer {@link createProducer} when several pipelines write to the same stream.
 *
 * @example
 * ```ts
 * import { toKinesis } from 'rxjs-kinesis';
 * clicks$.pipe(toKinesis({ client, streamName: 'clicks', record: (c) => ({ partitionKey: c.sessionId, data: JSON.stringify(c) }) }))
 *   .subscribe((o) => o.ok || console.warn(o.error.code, o.error.message));
 * ```
 */
export function toKinesis<T>(options: ToKinesisOptions<T>): OperatorFunction<T, PutOutcome<T>> {
  const { record, ...producerOptions } = options;
  return (source) =>
    new Observable<PutOutcome<T>>((subscriber) => {
      const producer = createProducer(producerOptions);
      const subscription = source.pipe(producer.put(record)).subscribe(subscriber);
      return () => {
        subscription.unsubscribe();
        void producer.close();
      };
    });
}
