import { Observable, type OperatorFunction } from 'rxjs';
import { encodeRecord, isFailure, type EncodedRecord, type RecordMapper } from '../records/encode.js';
import { BufferOverflowError, type KinesisStreamError } from '../errors.js';
import { failure, type PutOutcome } from '../records/outcome.js';
import type { OutcomeSink } from './holdings.js';
import type { ResolvedOptions } from './options.js';
import type { ProducerSignal } from './signals.js';

/** What a pipeline needs of the producer it puts into. */
export interface PutTarget {
  o: ResolvedOptions;
  closed(): boolean;
  streamError(): KinesisStreamError | undefined;
  /** Takes the value if it fits; otherwise says why not (the overflow policy has run). */
  offer(record: EncodedRecord<unknown>, sink: OutcomeSink<unknown>): string | undefined;
  emit(signal: ProducerSignal): void;
  /** Values and bytes the producer holds now. */
  held(): { records: number; bytes: number };
  sinks: Set<OutcomeSink<unknown>>;
  /** A pipeline completed with values held: batches go out without lingering until `endDrain`. */
  beginDrain(): void;
  endDrain(): void;
}

/**
 * The put stage of one pipeline: encodes each value, offers it to the producer, and emits its outcome
 * when it is decided. The output completes once the input has completed and every outcome is out; it
 * errors with the stream's error after the outcomes, or with `BufferOverflowError` under `'fail'`.
 */
export function putOperator<T>(target: PutTarget, mapper: RecordMapper<T>): OperatorFunction<T, PutOutcome<T>> {
  const { o } = target;
  return (source) =>
    new Observable<PutOutcome<T>>((subscriber) => {
      let pending = 0;
      /** The next value's place in this subscription's input. */
      let nextIndex = 0;
      let done = false;
      let active = true;
      let stopped = false;
      let upstream: { error: unknown } | undefined;
      const settleIfDone = () => {
        if (!active || pending > 0) return;
        const broken = target.streamError();
        if (broken === undefined && !done) return;
        active = false;
        if (done) target.endDrain();
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
      target.sinks.add(sink);
      const finish = () => {
        done = true;
        target.beginDrain();
        settleIfDone();
      };
      const refuse = (value: T, index: number, size: number, reason: string) => {
        if (o.overflow !== 'fail') {
          subscriber.next(failure(value, 'Dropped', `no room: ${reason} (overflow: ${o.overflow})`, true, 0, index));
          return target.emit({ type: 'dropped', count: 1, policy: o.overflow });
        }
        const message = `buffer overflow: a value of ${size} bytes does not fit: ${reason}`;
        subscriber.next(failure(value, 'BufferOverflow', message, true, 0, index));
        const held = target.held();
        upstream = { error: new BufferOverflowError(message, held.records, held.bytes) };
        stopped = true;
        subscription?.unsubscribe();
        finish();
      };
      let subscription: { unsubscribe(): void } | undefined;
      subscription = source.subscribe({
        next(value) {
          if (stopped) return;
          const index = nextIndex++;
          if (target.closed()) return subscriber.next(failure(value, 'Closed', 'the producer was closed', false, 0, index));
          const broken = target.streamError();
          if (broken !== undefined) {
            subscriber.next(failure(value, broken.code, broken.message, false, 0, index));
            return settleIfDone();
          }
          const record = encodeRecord(value, mapper, o.maxRecordBytes, o.scheduler.now(), index);
          if (isFailure(record)) return subscriber.next(record);
          pending++;
          const refused = target.offer(record, sink);
          if (refused !== undefined) {
            pending--;
            refuse(value, index, record.size, refused);
          }
        },
        error(error) {
          upstream = { error };
          finish();
        },
        complete: () => {
          if (!stopped) finish();
        },
      });
      if (stopped) subscription.unsubscribe();
      return () => {
        if (active && done) target.endDrain();
        active = false;
        subscription?.unsubscribe();
        target.sinks.delete(sink);
      };
    });
}
