import { Observable, type OperatorFunction } from 'rxjs';
import type { PutOutcome } from './records/outcome.js';

/**
 * Emits, over the outcomes of one `producer.put` (or `toKinesis`), the position of the last value of the
 * longest input prefix whose values all have outcomes: what a consumer of Kafka, SQS or a file may
 * commit, since everything before it is decided. It emits each time that prefix grows, never the same
 * position twice, and completes with the outcomes.
 *
 * <span class="informal">Outcomes come in any order (shards, retries and throttles decide values out of
 * order); each carries its value's place in the input (`index`), and a value decided early is kept
 * until every value before it is decided. A failed outcome is decided too: handle it (a dead-letter
 * queue, a log) before you commit past it, or stop on it. What is held is at most the values decided
 * out of order, a few per value in flight.</span>
 *
 * ## Examples
 *
 * @example
 * ```ts
 * import { share } from 'rxjs';
 * import { checkpoints } from 'rxjs-kinesis';
 *
 * const outcomes$ = lines$.pipe(producer.put((l) => ({ partitionKey: l.key, data: l.text })), share());
 * outcomes$.pipe(checkpoints((l) => l.endOffset)).subscribe((offset) => saveResumePoint(offset));
 * outcomes$.pipe(checkpoints()).subscribe((n) => console.log(`the first ${n} lines are decided`));
 * ```
 *
 * @see {@link pullFrom} a source that reads only as fast as the producer takes values
 *
 * @param position the input position of a value (an offset, a message id): what the consumer commits.
 * Without it, the position is the prefix's length: how many values from the start are decided.
 * @returns an operator from outcomes to the positions that are safe to commit, in input order
 * @throws TypeError (as an error notification) when an outcome has no `index`: it does not come from `put`
 * @throws RangeError (as an error notification) when an index comes twice: outcomes of two `put`
 * subscriptions were merged, and their places in the input cannot be told apart
 */
export function checkpoints<T>(): OperatorFunction<PutOutcome<T>, number>;
export function checkpoints<T, P>(position: (value: T) => P): OperatorFunction<PutOutcome<T>, P>;
export function checkpoints<T, P>(position?: (value: T) => P): OperatorFunction<PutOutcome<T>, P | number> {
  type Position = P | number;
  return (outcomes) =>
    new Observable<Position>((subscriber) => {
      /** The first index without an outcome yet. */
      let frontier = 0;
      /** Positions of values decided ahead of the frontier, by index. */
      const ahead = new Map<number, Position>();
      return outcomes.subscribe({
        next(outcome) {
          const { index } = outcome;
          if (index === undefined) {
            return subscriber.error(new TypeError('checkpoints: an outcome has no index; pass it the outcomes of producer.put() or toKinesis()'));
          }
          if (index < frontier || ahead.has(index)) {
            return subscriber.error(new RangeError(`checkpoints: index ${index} came twice; pass it the outcomes of one put() subscription`));
          }
          let last: Position;
          try {
            last = position === undefined ? index + 1 : position(outcome.value);
          } catch (error) {
            return subscriber.error(error);
          }
          if (index > frontier) return void ahead.set(index, last);
          frontier++;
          for (let p = ahead.get(frontier); p !== undefined || ahead.has(frontier); p = ahead.get(frontier)) {
            last = p as Position;
            ahead.delete(frontier);
            frontier++;
          }
          subscriber.next(last);
        },
        error: (error) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
