import type { Attributes, Meter, ObservableResult } from '@opentelemetry/api';
import type { PressureLevel, PressureState } from '../producer/pressure.js';
import type { Producer } from '../producer/producer.js';
import type { BatchSentSignal } from '../send/signals.js';

/**
 * Options of {@link instrumentProducer}.
 *
 * @example
 * ```ts
 * import { metrics } from '@opentelemetry/api';
 * import type { InstrumentOptions } from 'rxjs-kinesis/otel';
 * const options: InstrumentOptions = { meter: metrics.getMeter('orders-service'), streamName: 'orders' };
 * ```
 */
export interface InstrumentOptions {
  /** The OpenTelemetry `Meter` to create the instruments on. */
  meter: Meter;
  /** The stream the producer writes to: `messaging.destination.name`. */
  streamName: string;
}

/**
 * What {@link instrumentProducer} returns.
 *
 * @example
 * ```ts
 * import { instrumentProducer, type Instrumentation } from 'rxjs-kinesis/otel';
 * const instrumentation: Instrumentation = instrumentProducer(producer, { meter, streamName: 'orders' });
 * instrumentation.stop(); // no more measurements from this producer
 * ```
 */
export interface Instrumentation {
  /** Stops listening to the producer and removes the gauges' callbacks: nothing more is recorded. */
  stop(): void;
}

/** `messaging.client.operation.duration`'s bucket boundaries, in seconds, as the semantic conventions advise. */
const DURATION_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
/** `messaging.kinesis.producer.pressure`'s value per level. */
const PRESSURE_VALUES: Record<PressureLevel, number> = { ok: 0, high: 1, full: 2 };

/**
 * Records a producer's work on an OpenTelemetry `Meter`, under the messaging semantic conventions:
 *
 * - `messaging.client.sent.messages` (counter, `{message}`): every attempt to send a value, counted when its
 *   PutRecords request answers; the ones refused carry `error.type`, the code (`ProvisionedThroughputExceededException`,
 *   `InternalFailure`, a request-level code), so a retried value counts once per attempt.
 * - `messaging.client.operation.duration` (histogram, `s`): one per PutRecords request, with `error.type` when
 *   the whole request failed.
 * - `messaging.kinesis.producer.pending` (gauge, `{message}`): values held without an outcome, as of the latest
 *   `pressure$` change or `metrics$` snapshot, whichever is later (so it is at most `metrics.intervalMs` old;
 *   with `metrics: false`, as of the latest pressure change).
 * - `messaging.kinesis.producer.pressure` (gauge): the `pressure$` level, 0 `ok`, 1 `high`, 2 `full`.
 *
 * Every measurement carries `messaging.system` (`aws_kinesis`), `messaging.destination.name` (the stream); the
 * request ones also `messaging.operation.name` (`PutRecords`), `messaging.operation.type` (`send`) and
 * `messaging.destination.partition.id` (the shard id). `@opentelemetry/api` is an optional peer dependency,
 * used for its types only: this entry loads nothing of it.
 *
 * @example
 * ```ts
 * import { metrics } from '@opentelemetry/api';
 * import { createProducer } from 'rxjs-kinesis';
 * import { instrumentProducer } from 'rxjs-kinesis/otel';
 *
 * const producer = createProducer({ client, streamName: 'orders' });
 * const instrumentation = instrumentProducer(producer, { meter: metrics.getMeter('orders-service'), streamName: 'orders' });
 * // ... at shutdown
 * await producer.close();
 * instrumentation.stop();
 * ```
 *
 * @param producer The producer to watch: its `signals$`, `pressure$` and `metrics$`.
 * @param options The meter, and the stream's name.
 * @return A handle whose `stop()` ends the recording.
 */
export function instrumentProducer(producer: Pick<Producer, 'signals$' | 'pressure$' | 'metrics$'>, options: InstrumentOptions): Instrumentation {
  const { meter, streamName } = options ?? ({} as InstrumentOptions);
  if (typeof meter?.createCounter !== 'function') throw new TypeError('instrumentProducer needs an OpenTelemetry Meter as `meter`');
  if (typeof streamName !== 'string' || streamName === '') throw new TypeError('instrumentProducer needs the stream name as `streamName`');

  const stream: Attributes = { 'messaging.system': 'aws_kinesis', 'messaging.destination.name': streamName };
  const request: Attributes = { ...stream, 'messaging.operation.name': 'PutRecords', 'messaging.operation.type': 'send' };
  const sent = meter.createCounter('messaging.client.sent.messages', { unit: '{message}', description: 'Values the producer attempted to send, per attempt.' });
  const duration = meter.createHistogram('messaging.client.operation.duration', {
    unit: 's',
    description: 'Duration of each PutRecords request, from send to answer.',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS_S },
  });
  const pending = meter.createObservableGauge('messaging.kinesis.producer.pending', { unit: '{message}', description: 'Values held by the producer without an outcome.' });
  // No unit: a level is not a ratio, which a unit of 1 would say (Prometheus would name it …_pressure_ratio).
  const pressure = meter.createObservableGauge('messaging.kinesis.producer.pressure', { description: 'Pressure level: 0 ok, 1 high, 2 full.' });

  function record(s: BatchSentSignal): void {
    const attributes = { ...request, 'messaging.destination.partition.id': s.shardId };
    if (s.userRecordsSucceeded > 0) sent.add(s.userRecordsSucceeded, attributes);
    for (const code in s.userRecordErrors) sent.add(s.userRecordErrors[code], { ...attributes, 'error.type': code });
    duration.record(s.durationMs / 1000, s.errorCode === undefined ? attributes : { ...attributes, 'error.type': s.errorCode });
  }

  let held = 0;
  let level: PressureLevel = 'ok';
  const observePending = (result: ObservableResult) => result.observe(held, stream);
  const observePressure = (result: ObservableResult) => result.observe(PRESSURE_VALUES[level], stream);
  pending.addCallback(observePending);
  pressure.addCallback(observePressure);

  const subscriptions = [
    producer.signals$.subscribe((s) => s.type === 'batchSent' && record(s)),
    producer.pressure$.subscribe((p: PressureState) => ((level = p.level), (held = p.bufferedRecords))),
    producer.metrics$.subscribe((m) => (held = m.stream.UserRecordsPending ?? held)),
  ];
  return {
    stop() {
      for (const s of subscriptions) s.unsubscribe();
      pending.removeCallback(observePending);
      pressure.removeCallback(observePressure);
    },
  };
}
