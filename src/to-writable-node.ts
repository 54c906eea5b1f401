/** The Node build's `toWritable` (rollup.config.js swaps it in for `./to-writable.js`); documented there. */
import { Writable } from 'node:stream';
import { Subject } from 'rxjs';
import type { RecordMapper } from './records/encode.js';
import type { Producer } from './producer/create-producer.js';
import type { KinesisWritable, ToWritableOptions } from './to-writable.js';

const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));

export function toWritable<T>(producer: Pick<Producer, 'put' | 'pressure$'>, record: RecordMapper<T>, options: ToWritableOptions = {}): KinesisWritable<T> {
  const input = new Subject<T>();
  const counts = { sent: 0, failed: 0 };
  let open = true;
  /** The write waiting for pressure to fall back to 'ok' (Writable calls write once at a time). */
  let waiting: (() => void) | undefined;
  /** final's callback: called once every outcome is out. */
  let finished: ((error?: Error) => void) | undefined;

  const stream = new Writable({
    objectMode: true,
    ...(options.highWaterMark === undefined ? {} : { highWaterMark: options.highWaterMark }),
    write(value: T, _encoding, callback) {
      const take = () => {
        input.next(value);
        callback();
      };
      if (open) take();
      else waiting = take;
    },
    final(callback) {
      finished = callback;
      input.complete();
    },
    destroy(error, callback) {
      waiting = undefined;
      pressure.unsubscribe();
      outcomes.unsubscribe();
      callback(error);
    },
  }) as KinesisWritable<T>;
  Object.defineProperties(stream, {
    sent: { get: () => counts.sent, enumerable: true },
    failed: { get: () => counts.failed, enumerable: true },
  });

  const pressure = producer.pressure$.subscribe((p) => {
    open = p.level === 'ok';
    const take = open ? waiting : undefined;
    waiting = open ? undefined : waiting;
    take?.();
  });
  const outcomes = input.pipe(producer.put(record)).subscribe({
    next(outcome) {
      if (outcome.ok) counts.sent++;
      else counts.failed++;
      stream.emit('outcome', outcome);
    },
    // A KinesisStreamError or a BufferOverflowError, after the outcomes of what was held.
    error(error) {
      if (finished) finished(asError(error));
      else stream.destroy(asError(error));
    },
    complete() {
      finished?.();
    },
  });
  return stream;
}
