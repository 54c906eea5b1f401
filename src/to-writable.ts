import type { Writable } from 'node:stream';
import type { RecordMapper } from './records/encode.js';
import type { Producer } from './producer/create-producer.js';
import type { PutOutcome } from './records/outcome.js';

/**
 * Options of {@link toWritable}.
 *
 * @example
 * ```ts
 * import { toWritable, type ToWritableOptions } from 'rxjs-kinesis';
 * const options: ToWritableOptions = { highWaterMark: 64 }; // values the Writable queues before write() returns false
 * const sink = toWritable(producer, (line: string) => ({ partitionKey: line.slice(0, 16), data: line }), options);
 * ```
 */
export interface ToWritableOptions {
  /** Values the Writable queues before `write()` returns `false`. Default: 16 (Node's object-mode default). */
  highWaterMark?: number;
}

/**
 * The Node `Writable` that {@link toWritable} returns: object mode, one `'outcome'` event per value,
 * and the counts of sent and failed values.
 *
 * @example
 * ```ts
 * import type { KinesisWritable } from 'rxjs-kinesis';
 * const report = (sink: KinesisWritable<string>) => console.log(`${sink.sent} sent, ${sink.failed} failed`);
 * ```
 */
export type KinesisWritable<T> = {
  /** Values sent so far. */
  readonly sent: number;
  /** Values whose outcome failed so far (each was also an `'outcome'` event). */
  readonly failed: number;
  /** Every value's outcome, sent or failed, as it is decided. */
  on(event: 'outcome', listener: (outcome: PutOutcome<T>) => void): KinesisWritable<T>;
  once(event: 'outcome', listener: (outcome: PutOutcome<T>) => void): KinesisWritable<T>;
} & Writable;

/** What the browser build's `toWritable` throws: Node streams exist only in Node. */
export const TO_WRITABLE_IN_BROWSER = 'toWritable needs Node streams; in browsers use producer.put';

/**
 * A Node `Writable` (object mode) that puts every value written to it into Kinesis through the
 * producer, for code built on Node streams: `await pipeline(source, toWritable(producer, record))`.
 *
 * A value is taken only while the producer's `pressure$` is `'ok'`: while it is `'high'` or `'full'`
 * the write's callback waits, so `pipeline` stops reading the source and memory stays bounded. Every
 * value goes through one `producer.put(record)` pipeline and its outcome is emitted as an `'outcome'`
 * event; failed ones are counted in `failed`. When the stream cannot be written at all (a
 * `KinesisStreamError`) or a value did not fit (`BufferOverflow`, under the default `'fail'` overflow
 * policy) the Writable is destroyed with that error. It finishes once every value has its outcome.
 * Destroyed from outside (a source that failed), it emits no more outcomes, but the values it took
 * are still sent: `producer.close()` waits for them. Node only: the browser build's `toWritable`
 * throws (use `producer.put`).
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * import { createInterface } from 'node:readline';
 * import { Readable } from 'node:stream';
 * import { pipeline } from 'node:stream/promises';
 * import { createProducer, toWritable } from 'rxjs-kinesis';
 *
 * const producer = createProducer({ client, streamName: 'access-logs', aggregation: {} });
 * const sink = toWritable(producer, (line: string) => ({ partitionKey: line.slice(0, 16), data: line }));
 * sink.on('outcome', (o) => o.ok || console.warn(o.error.code, o.error.message));
 * await pipeline(Readable.from(createInterface({ input: createReadStream('access.log') })), sink);
 * console.log(`${sink.sent} sent, ${sink.failed} failed`);
 * await producer.close();
 * ```
 */
export function toWritable<T>(_producer: Pick<Producer, 'put' | 'pressure$'>, _record: RecordMapper<T>, _options?: ToWritableOptions): KinesisWritable<T> {
  throw new Error(TO_WRITABLE_IN_BROWSER);
}
