import { AggregationTemporality, MeterProvider, MetricReader, type HistogramMetricData, type MetricData } from '@opentelemetry/sdk-metrics';
import { firstValueFrom, from, lastValueFrom, toArray } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createProducer } from '../../src/producer/create-producer.js';
import type { BatchSentSignal } from '../../src/send/signals.js';
import { instrumentProducer } from '../../src/otel/index.js';
import { startLocalKinesis, type LocalKinesis } from '../../src/testing/index.js';
import { withTimeout } from '../browser/browser.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** A reader collected on demand: what an exporter would receive at that moment (cumulative, the default). */
class OnDemandReader extends MetricReader {
  protected override onShutdown = async () => {};
  protected override onForceFlush = async () => {};
}

async function collect(reader: MetricReader): Promise<Map<string, MetricData>> {
  const { resourceMetrics, errors } = await reader.collect();
  assert.equal(errors, []);
  return new Map(resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).map((m) => [m.descriptor.name, m]));
}

const points = (metrics: Map<string, MetricData>, name: string) => (metrics.get(name)?.dataPoints ?? []) as MetricData['dataPoints'];
const sumOf = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** `reader` sees totals since the start; `recent` only what was recorded (or observed) since its last collection. */
function instrumented() {
  const reader = new OnDemandReader();
  const recent = new OnDemandReader({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
  const provider = new MeterProvider({ readers: [reader, recent] });
  return { reader, recent, provider, meter: provider.getMeter('otel-test') };
}

let local: LocalKinesis;
const test = suite('instrumentProducer: OpenTelemetry metrics of a producer against the local Kinesis (limits on, 5% of entries refused)');
test.before(async () => {
  local = await startLocalKinesis({ limits: true, faults: { internalFailureRate: 0.05 } });
});
test.after(async () => {
  await local?.stop();
});

test(
  '3,000 values: attempts counted per outcome and error.type, one duration per request, gauges, nothing after stop()',
  withTimeout(60_000, async () => {
    const streamName = 'otel-orders';
    await local.createStream(streamName, 2);
    const { reader, recent, provider, meter } = instrumented();
    const producer = createProducer({ client: local.client(), streamName, metrics: { intervalMs: 300 } });
    const instrumentation = instrumentProducer(producer, { meter, streamName });
    const sent: BatchSentSignal[] = [];
    producer.signals$.subscribe((s) => s.type === 'batchSent' && sent.push(s));

    // Sample the pending gauge while the shards work through the values (2 shards, 1000 records/s each).
    const pendingSeen: number[] = [];
    const sampling = setInterval(() => void collect(reader).then((m) => pendingSeen.push(...points(m, 'messaging.kinesis.producer.pending').map((p) => p.value as number))), 100);
    const values = Array.from({ length: 3000 }, (_, i) => i);
    const outcomes = await lastValueFrom(from(values).pipe(producer.put((i) => ({ partitionKey: `customer-${i % 300}`, data: `order ${i}` })), toArray()));
    clearInterval(sampling);
    const ok = outcomes.filter((o) => o.ok);
    assert.is(ok.length, values.length, 'every value stored');

    await firstValueFrom(producer.metrics$); // the pending gauge follows the next snapshot
    const during = await collect(reader);

    // messaging.client.sent.messages: ok attempts without error.type, refused ones with their code.
    const attempts = points(during, 'messaging.client.sent.messages');
    assert.is(during.get('messaging.client.sent.messages')!.descriptor.unit, '{message}');
    const succeeded = attempts.filter((p) => p.attributes['error.type'] === undefined);
    assert.is(sumOf(succeeded.map((p) => p.value as number)), ok.length, 'successful attempts = ok outcomes');
    const refused: Record<string, number> = {};
    for (const p of attempts.filter((p) => p.attributes['error.type'] !== undefined)) {
      const code = p.attributes['error.type'] as string;
      refused[code] = (refused[code] ?? 0) + (p.value as number);
    }
    const signalled: Record<string, number> = {};
    for (const s of sent) for (const [code, n] of Object.entries(s.userRecordErrors ?? {})) signalled[code] = (signalled[code] ?? 0) + n;
    assert.ok(refused.InternalFailure > 0, `the run met the injected failures: ${JSON.stringify(refused)}`);
    assert.equal(refused, signalled, 'failed attempts per error.type = user records refused in the batchSent signals');
    const retried = outcomes.filter((o) => o.attempts > 1).length;
    assert.ok(retried > 0 && retried <= sumOf(Object.values(refused)), 'each refused attempt was retried');

    // messaging.client.operation.duration: one per PutRecords request, in seconds.
    const durations = points(during, 'messaging.client.operation.duration') as HistogramMetricData['dataPoints'];
    assert.is(during.get('messaging.client.operation.duration')!.descriptor.unit, 's');
    assert.is(sumOf(durations.map((p) => p.value.count)), sent.length, 'one duration per batchSent signal');
    const seconds = sumOf(sent.map((s) => s.durationMs)) / 1000;
    assert.ok(Math.abs(sumOf(durations.map((p) => p.value.sum!)) - seconds) < 1e-6, 'durations in seconds');
    assert.is(sumOf(durations.filter((p) => p.attributes['error.type'] !== undefined).map((p) => p.value.count)), sent.filter((s) => s.errorCode).length);
    assert.equal(durations[0].value.buckets.boundaries.slice(0, 3), [0.005, 0.01, 0.025], 'the advised buckets');

    // Attributes: the conventions' names, the stream, and each shard that answered.
    const shards = [...new Set(sent.map((s) => s.shardId))].sort();
    assert.is(shards.length, 2);
    for (const p of [...attempts, ...durations]) {
      assert.is(p.attributes['messaging.system'], 'aws_kinesis');
      assert.is(p.attributes['messaging.operation.name'], 'PutRecords');
      assert.is(p.attributes['messaging.operation.type'], 'send');
      assert.is(p.attributes['messaging.destination.name'], streamName);
    }
    assert.equal([...new Set(succeeded.map((p) => p.attributes['messaging.destination.partition.id']))].sort(), shards);
    assert.equal([...new Set(durations.map((p) => p.attributes['messaging.destination.partition.id']))].sort(), shards);

    // The gauges: values were held during the run; none once the next snapshot followed the last outcome.
    assert.ok(Math.max(...pendingSeen) > 0, `pending seen during the run: ${pendingSeen.length} samples, max ${Math.max(...pendingSeen)}`);
    assert.equal(points(during, 'messaging.kinesis.producer.pending').map((p) => [p.value, p.attributes]), [[0, { 'messaging.system': 'aws_kinesis', 'messaging.destination.name': streamName }]]);
    assert.equal(points(during, 'messaging.kinesis.producer.pressure').map((p) => p.value), [0]);

    // After stop(): more values go through, and nothing of them is recorded, nor any gauge observed.
    assert.ok((await collect(recent)).size > 0, 'the delta reader sees the run');
    instrumentation.stop();
    const requestsBefore = sent.length;
    const later = await lastValueFrom(from(values.slice(0, 200)).pipe(producer.put((i) => ({ partitionKey: `late-${i}`, data: `late ${i}` })), toArray()));
    assert.is(later.filter((o) => o.ok).length, 200);
    await producer.close();
    const after = await collect(reader);
    assert.equal(points(after, 'messaging.client.sent.messages').map((p) => [p.attributes, p.value]), attempts.map((p) => [p.attributes, p.value]));
    assert.ok(sent.length > requestsBefore, 'the later requests did happen');
    assert.is(sumOf((points(after, 'messaging.client.operation.duration') as HistogramMetricData['dataPoints']).map((p) => p.value.count)), requestsBefore);
    const since = await collect(recent);
    assert.equal([...since.values()].flatMap((m) => m.dataPoints as unknown[]), [], 'no measurement and no gauge callback after stop()');
    await provider.shutdown();
  }),
);

test(
  'the pressure gauge follows pressure$: 1 while the buffer is past its high watermark, 0 after',
  withTimeout(30_000, async () => {
    const streamName = 'otel-pressure';
    await local.createStream(streamName, 1);
    local.setFaults({ internalFailureRate: 0 });
    const { reader, provider, meter } = instrumented();
    const producer = createProducer({ client: local.client(), streamName, maxBufferedRecords: 1000 });
    const instrumentation = instrumentProducer(producer, { meter, streamName });
    const done = lastValueFrom(from(Array.from({ length: 900 }, (_, i) => i)).pipe(producer.put((i) => ({ partitionKey: `k${i}`, data: `v${i}` })), toArray()));
    // `from` hands over all 900 at once: they wait for the shard map, 90% of maxBufferedRecords.
    const full = await collect(reader);
    assert.equal(points(full, 'messaging.kinesis.producer.pressure').map((p) => p.value), [1]);
    assert.ok((points(full, 'messaging.kinesis.producer.pending')[0].value as number) >= 800, 'held values as of the change to high');
    assert.is((await done).filter((o) => o.ok).length, 900);
    await producer.close();
    const closed = await collect(reader);
    assert.equal(points(closed, 'messaging.kinesis.producer.pressure').map((p) => p.value), [0]);
    assert.equal(points(closed, 'messaging.kinesis.producer.pending').map((p) => p.value), [0], 'the last snapshot, at close()');
    instrumentation.stop();
    await provider.shutdown();
  }),
);

test('instrumentProducer says what it needs', () => {
  const producer = createProducer({ client: local.client(), streamName: 'never-written' });
  const { meter } = instrumented();
  assert.throws(() => instrumentProducer(producer, { meter: undefined as never, streamName: 's' }), /needs an OpenTelemetry Meter as `meter`/);
  assert.throws(() => instrumentProducer(producer, { meter, streamName: '' }), /needs the stream name as `streamName`/);
  void producer.close();
});

test.run();
