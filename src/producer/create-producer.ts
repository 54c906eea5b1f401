import { Observable, type OperatorFunction } from 'rxjs';
import { encodeRecord, isFailure, type RecordMapper } from '../encode.js';
import { BufferOverflowError } from '../errors.js';
import { failure, type PutOutcome } from '../types.js';
import { createEngine, type OutcomeSink } from './engine.js';
import type { Pressure } from './pressure.js';
import { resolveOptions, type ProducerOptions } from './options.js';
import type { ProducerSignal } from './signals.js';

/**
 * A producer for one stream: share it across pipelines so they share its shard map, batches and limits.
 *
 * @example
 * ```ts
 * import { createProducer, type Producer } from 'rxjs-kinesis';
 * const producer: Producer = createProducer({ client, streamName: 'orders' });
 * orders$.pipe(producer.put((o) => ({ partitionKey: o.customerId, data: JSON.stringify(o) }))).subscribe();
 * producer.signals$.subscribe((s) => s.type === 'throttled' && console.warn(s.shardId, s.rate));
 * process.once('SIGTERM', () => producer.close());
 * ```
 */
export interface Producer {
  /**
   * The operator that sends each value and emits its outcome. Outcomes come in the order values are
   * decided, not the order they arrived: a value's outcome comes when its request answers, and
   * retried values come later. The output completes once the input has completed and every outcome
   * is out; it errors with {@link KinesisStreamError} (after the outcomes) if the stream cannot be written.
   */
  put<T>(record: RecordMapper<T>): OperatorFunction<T, PutOutcome<T>>;
  /** Everything the producer does, as it happens: batches sent, retries, throttles, shard-map refreshes. */
  readonly signals$: Observable<ProducerSignal>;
  /**
   * How full the producer is: emits the current level on subscribe, then on each change. Pause a
   * pausable source on `'high'` and resume on `'ok'` to send without loss or unbounded memory.
   */
  readonly pressure$: Observable<Pressure>;
  /** Sends everything buffered, waits for every outcome, then releases timers. Later values fail with `Closed`. */
  close(): Promise<void>;
}

/**
 * Creates a producer for one Kinesis stream.
 *
 * @example
 * ```ts
 * import { createProducer } from 'rxjs-kinesis';
 * const producer = createProducer({ client, streamName: 'events' });
 * events$
 *   .pipe(producer.put((e) => ({ partitionKey: e.deviceId, data: JSON.stringify(e) })))
 *   .subscribe((o) => console.log(o.ok ? `${o.shardId} ${o.sequenceNumber}` : o.error.code));
 * await producer.close();
 * ```
 */
export function createProducer(options: ProducerOptions): Producer {
  const o = resolveOptions(options);
  const engine = createEngine<unknown>(o);
  let closed = false;
  let closing: Promise<void> | undefined;

  function put<T>(mapper: RecordMapper<T>): OperatorFunction<T, PutOutcome<T>> {
    return (source) =>
      new Observable<PutOutcome<T>>((subscriber) => {
        let pending = 0;
        let done = false;
        let active = true;
        let upstream: { error: unknown } | undefined;
        let subscription: { unsubscribe(): void } | undefined;
        let stopInput = false;
        const settleIfDone = () => {
          if (!active || pending > 0) return;
          const broken = engine.streamError;
          if (broken === undefined && !done) return;
          active = false;
          if (done) engine.endDrain();
          if (broken !== undefined) subscriber.error(broken);
          else if (upstream !== undefined) subscriber.error(upstream.error);
          else subscriber.complete();
        };
        const sink: OutcomeSink<unknown> = {
          deliver(outcome) {
            pending--;
            if (active) subscriber.next(outcome as PutOutcome<T>);
            settleIfDone();
          },
          check: settleIfDone,
        };
        engine.sinks.add(sink);
        const finish = () => {
          done = true;
          engine.beginDrain();
          settleIfDone();
        };
        const overflow = (value: T, size: number, reason: string) => {
          const { records, bytes } = engine.held;
          if (o.overflow === 'dropIncoming' || o.overflow === 'dropOldest') {
            subscriber.next(failure(value, 'Dropped', `no room: ${reason} (overflow: ${o.overflow})`, true, 0));
            engine.signals.next({ type: 'dropped', count: 1, policy: o.overflow });
            return;
          }
          const message = `buffer overflow: a value of ${size} bytes does not fit: ${reason}`;
          subscriber.next(failure(value, 'BufferOverflow', message, true, 0));
          upstream = { error: new BufferOverflowError(message, records, bytes) };
          stopInput = true;
          subscription?.unsubscribe();
          finish();
        };
        subscription = source.subscribe({
          next(value) {
            if (stopInput) return;
            if (closed) return subscriber.next(failure(value, 'Closed', 'the producer was closed', false, 0));
            const broken = engine.streamError;
            if (broken !== undefined) {
              subscriber.next(failure(value, broken.code, broken.message, false, 0));
              return settleIfDone();
            }
            const record = encodeRecord(value, mapper, o.maxRecordBytes, o.scheduler.now());
            if (isFailure(record)) return subscriber.next(record);
            const refused = engine.admit(record);
            if (refused !== undefined) return overflow(value, record.size, refused);
            pending++;
            engine.accept(record, sink);
          },
          error(error) {
            upstream = { error };
            finish();
          },
          complete: () => {
            if (!stopInput) finish();
          },
        });
        if (stopInput) subscription.unsubscribe();
        return () => {
          if (active && done) engine.endDrain();
          active = false;
          subscription?.unsubscribe();
          engine.sinks.delete(sink);
        };
      });
  }

  return {
    put,
    signals$: engine.signals.asObservable(),
    pressure$: engine.pressure.pressure$,
    close() {
      closed = true;
      closing ??= (async () => {
        engine.beginDrain();
        await engine.whenIdle();
        engine.dispose();
      })();
      return closing;
    },
  };
}
