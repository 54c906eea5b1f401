import { Observable } from 'rxjs';
import type { Pressure } from './producer/pressure.js';

/**
 * Anything with a `pressure$`: a producer.
 *
 * @example
 * ```ts
 * import { BehaviorSubject } from 'rxjs';
 * import { pullFrom, type Pressure, type PressureSource } from 'rxjs-kinesis';
 * const pressure$ = new BehaviorSubject<Pressure>({ level: 'ok', bufferedRecords: 0, bufferedBytes: 0, inFlight: 0, expectedWaitMs: 0, shardId: undefined });
 * const stub: PressureSource = { pressure$ }; // stands in for a producer in a test of the reading side
 * pullFrom(['a', 'b', 'c'], stub).subscribe(console.log);
 * ```
 */
export interface PressureSource {
  readonly pressure$: Observable<Pressure>;
}

/**
 * Turns an AsyncIterable (a Node Readable, a file's lines from `readline`, a paginated API) into an
 * Observable that pulls the next item only while the producer's pressure is `'ok'`: it stops at
 * `'high'` and goes on once the producer drained below its low watermark. A source of any size
 * then streams through in bounded memory, losing nothing.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * import { createInterface } from 'node:readline';
 * import { createProducer, pullFrom } from 'rxjs-kinesis';
 *
 * const producer = createProducer({ client, streamName: 'logs' });
 * const lines = createInterface({ input: createReadStream('huge.log') });
 * pullFrom(lines, producer)
 *   .pipe(producer.put((line) => ({ partitionKey: line.slice(0, 16), data: line })))
 *   .subscribe({ complete: () => producer.close() });
 * ```
 */
export function pullFrom<T>(source: AsyncIterable<T> | Iterable<T>, producer: PressureSource): Observable<T> {
  return new Observable<T>((subscriber) => {
    let stopped = false;
    let open = true;
    let resume: (() => void) | undefined;
    const pressure = producer.pressure$.subscribe((p) => {
      open = p.level === 'ok';
      if (open && resume !== undefined) {
        resume();
        resume = undefined;
      }
    });
    const iterator =
      Symbol.asyncIterator in source ? (source as AsyncIterable<T>)[Symbol.asyncIterator]() : (source as Iterable<T>)[Symbol.iterator]();
    (async () => {
      try {
        while (!stopped) {
          if (!open) await new Promise<void>((r) => (resume = r));
          if (stopped) break;
          const item = await iterator.next();
          if (item.done) return subscriber.complete();
          subscriber.next(item.value);
        }
      } catch (error) {
        subscriber.error(error);
      }
    })();
    return () => {
      stopped = true;
      pressure.unsubscribe();
      resume?.();
      void iterator.return?.();
    };
  });
}
