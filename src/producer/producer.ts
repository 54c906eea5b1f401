import type { Observable, OperatorFunction } from 'rxjs';
import type { MetricsSnapshot } from '../metrics/metrics.js';
import type { RecordMapper } from '../records/encode.js';
import type { PutOutcome } from '../records/outcome.js';
import type { PressureState } from './pressure.js';
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
  readonly pressure$: Observable<PressureState>;
  /**
   * The KPL's metrics, per interval (`metrics.intervalMs`, default 60 s): a snapshot of the stream's
   * figures and each shard's, every interval while subscribed, and a last one at `close()`.
   */
  readonly metrics$: Observable<MetricsSnapshot>;
  /** Sends everything buffered, waits for every outcome, then releases timers. Later values fail with `Closed`. */
  close(): Promise<void>;
}
