import { CloudWatchClient, PutMetricDataCommand, type MetricDatum, type PutMetricDataInput } from '@aws-sdk/client-cloudwatch';
import { Readable } from 'node:stream';
import { from, lastValueFrom, toArray } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { publishMetrics, toMetricData } from '../../src/cloudwatch/index.js';
import type { MetricValues } from '../../src/metrics/metrics.js';
import { createProducer } from '../../src/producer/create-producer.js';
import { startLocalKinesis, type LocalKinesis } from '../../src/testing/index.js';
import { withTimeout } from '../browser/browser.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** A stand-in CloudWatch client: takes only real PutMetricData commands, keeps their inputs, answers after `delayMs`. */
function standInClient({ delayMs = 0, failFirst = false } = {}) {
  const inputs: PutMetricDataInput[] = [];
  let calls = 0;
  return {
    inputs,
    async send(command: PutMetricDataCommand): Promise<object> {
      if (!(command instanceof PutMetricDataCommand)) throw new TypeError('not a PutMetricDataCommand');
      calls++;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (failFirst && calls === 1) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      inputs.push(command.input);
      return {};
    },
  };
}

const key = (d: MetricDatum) => JSON.stringify(d.Dimensions!.map((x) => [x.Name, x.Value]));
const streamKey = (stream: string) => JSON.stringify([['StreamName', stream]]);
const shardKey = (stream: string, shard: string) => JSON.stringify([['StreamName', stream], ['ShardId', shard]]);

/** The datums of one dimension set, by metric name. */
function byName(inputs: PutMetricDataInput[], dimensions: string) {
  const datums = inputs.flatMap((i) => i.MetricData!).filter((d) => key(d) === dimensions);
  return Object.fromEntries(datums.map((d) => [d.MetricName!, d]));
}

/** What PutMetricData should carry for a stream's or a shard's values. */
function checkValues(datums: Record<string, MetricDatum>, v: MetricValues, label: string) {
  for (const [name, value] of Object.entries(v)) {
    if (typeof value === 'number') assert.is(datums[name]?.Value, value, `${label} ${name}`);
    else if (name !== 'ErrorsByCode' && value.count > 0) {
      assert.equal(datums[name].StatisticValues, { SampleCount: value.count, Sum: value.sum, Minimum: value.min, Maximum: value.max }, `${label} ${name}`);
      assert.is(datums[`${name}P50`].Value, value.p50);
      assert.is(datums[`${name}P99`].Value, value.p99);
    } else if (name !== 'ErrorsByCode') assert.not.ok(name in datums, `${label} ${name}: no samples, no datum`);
  }
}

let local: LocalKinesis;
const test = suite('publishMetrics and toMetricData: PutMetricData requests within the API limits');
test.before(async () => {
  local = await startLocalKinesis({ limits: true, faults: { internalFailureRate: 0.05 } });
});
test.after(async () => {
  await local?.stop();
});

test(
  '45 shards: the snapshot goes out in several requests of at most 1,000 datums, every value as the snapshot has it',
  withTimeout(60_000, async () => {
    const streamName = 'wide-stream';
    await local.createStream(streamName, 45);
    const producer = createProducer({ client: local.client(), streamName, metrics: { intervalMs: 600_000 } });
    const client = standInClient({ delayMs: 20 });
    const publisher = publishMetrics(producer, { client, namespace: 'KinesisProducer' });
    const snapshots = lastValueFrom(producer.metrics$.pipe(toArray()));
    await lastValueFrom(from(Array.from({ length: 6000 }, (_, i) => i)).pipe(producer.put((i) => ({ partitionKey: `sensor-${i}`, data: `reading ${i}` })), toArray()));
    await producer.close(); // the one snapshot, at close
    await publisher.stop(); // waits for its requests
    const [snapshot] = await snapshots;
    assert.is(Object.keys(snapshot.shards).length, 45);

    assert.ok(client.inputs.length >= 2, `${client.inputs.length} requests`);
    for (const input of client.inputs) {
      assert.is(input.Namespace, 'KinesisProducer');
      assert.ok(input.MetricData!.length <= 1000, `${input.MetricData!.length} datums`);
      assert.ok(input.MetricData!.every((d) => d.Timestamp!.getTime() === snapshot.at));
    }
    assert.equal(client.inputs, toMetricData(snapshot, { namespace: 'KinesisProducer' }), 'what toMetricData makes, in order');

    checkValues(byName(client.inputs, streamKey(streamName)), snapshot.stream, 'stream');
    assert.is(byName(client.inputs, streamKey(streamName)).UserRecordsDataPut.Unit, 'Bytes');
    assert.is(byName(client.inputs, streamKey(streamName)).RequestTime.Unit, 'Milliseconds');
    for (const [shardId, values] of Object.entries(snapshot.shards)) checkValues(byName(client.inputs, shardKey(streamName, shardId)), values, shardId);
    const errors = client.inputs.flatMap((i) => i.MetricData!).filter((d) => d.MetricName === 'ErrorsByCode');
    assert.ok((snapshot.stream.ErrorsByCode.InternalFailure ?? 0) > 0, 'the run met the injected failures');
    const streamErrors = errors.filter((d) => d.Dimensions!.length === 2);
    assert.equal(Object.fromEntries(streamErrors.map((d) => [d.Dimensions![1].Value, d.Value])), snapshot.stream.ErrorsByCode);
    const shardErrors = errors.filter((d) => d.Dimensions!.length === 3).reduce((n, d) => n + d.Value!, 0);
    assert.is(shardErrors, snapshot.stream.AllErrors, 'the shards\' errors add up to the stream\'s');
  }),
);

test(
  'large dimensions: requests split by size too, and each body the real SDK serializes stays under 1 MB',
  withTimeout(30_000, async () => {
    const streamName = 'wide-stream-2';
    await local.createStream(streamName, 10);
    const producer = createProducer({ client: local.client(), streamName, metrics: { intervalMs: 600_000 } });
    const snapshots = lastValueFrom(producer.metrics$.pipe(toArray()));
    await lastValueFrom(from(Array.from({ length: 2000 }, (_, i) => i)).pipe(producer.put((i) => ({ partitionKey: `k-${i}`, data: `v${i}` })), toArray()));
    await producer.close();
    const [snapshot] = await snapshots;
    // 27 dimensions of 1,000 characters: about 27 KB per datum, so ~36 per request by size, far from 1,000.
    const dimensions = Object.fromEntries(Array.from({ length: 27 }, (_, i) => [`Tag${i}`, `${i}`.padEnd(1000, 'x')]));
    const inputs = toMetricData(snapshot, { namespace: 'KinesisProducer', dimensions });
    const datums = inputs.reduce((n, i) => n + i.MetricData!.length, 0);
    assert.ok(datums < 1000 && inputs.length > 1, `${inputs.length} requests for ${datums} datums: split by size`);
    assert.ok(inputs.every((i) => i.MetricData!.every((d) => d.Dimensions!.length >= 28 && d.Dimensions!.length <= 30)), 'StreamName, ShardId, ErrorCode as they apply, and the 27');

    const bodies: number[] = [];
    const requestHandler = {
      handle: async (request: { body?: string | Uint8Array }) => {
        bodies.push(typeof request.body === 'string' ? Buffer.byteLength(request.body) : (request.body?.byteLength ?? 0));
        return { response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Readable.from([Buffer.from('{}')]) } };
      },
    };
    const cloudWatch = new CloudWatchClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, requestHandler, disableRequestCompression: true });
    for (const input of inputs) await cloudWatch.send(new PutMetricDataCommand(input));
    cloudWatch.destroy();
    assert.is(bodies.length, inputs.length);
    assert.ok(Math.max(...bodies) <= 1_000_000, `largest body ${Math.max(...bodies)} bytes`);
    assert.ok(Math.max(...bodies) > 500_000, `requests are filled: largest ${Math.max(...bodies)} bytes`);
  }),
);

test(
  'a failed request goes to onError and the rest are sent',
  withTimeout(30_000, async () => {
    const streamName = 'small-stream';
    await local.createStream(streamName, 1);
    const producer = createProducer({ client: local.client(), streamName, metrics: { intervalMs: 100 } });
    const client = standInClient({ failFirst: true });
    const failures: unknown[] = [];
    const publisher = publishMetrics(producer, { client, namespace: 'KinesisProducer', onError: (e) => failures.push(e) });
    await lastValueFrom(from(Array.from({ length: 500 }, (_, i) => i)).pipe(producer.put((i) => ({ partitionKey: `k-${i}`, data: `v${i}` })), toArray()));
    await producer.close();
    await publisher.stop();
    assert.is(failures.length, 1);
    assert.is((failures[0] as Error).name, 'ThrottlingException');
    assert.ok(client.inputs.length >= 1, 'the next snapshots were still sent');
    assert.is(client.inputs.at(-1)!.MetricData!.find((d) => d.MetricName === 'UserRecordsPending')?.Value, 0, 'the last one, from close()');
  }),
);

test(
  'stop() ends the publishing, and resolves once the snapshots it had received are sent',
  withTimeout(30_000, async () => {
    const streamName = 'stopped-stream';
    await local.createStream(streamName, 1);
    const producer = createProducer({ client: local.client(), streamName, metrics: { intervalMs: 100 } });
    // A client whose answers wait for the test to let them go.
    const held: (() => void)[] = [];
    let calls = 0;
    const client = {
      async send(command: PutMetricDataCommand) {
        assert.ok(command instanceof PutMetricDataCommand);
        calls++;
        await new Promise<void>((resolve) => held.push(resolve));
        return {};
      },
    };
    const publisher = publishMetrics(producer, { client, namespace: 'KinesisProducer' });
    const values = lastValueFrom(from(Array.from({ length: 300 }, (_, i) => i)).pipe(producer.put((i) => ({ partitionKey: `k-${i}`, data: `v${i}` })), toArray()));
    while (calls === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 250)); // more snapshots queue behind the held request

    let stopped = false;
    const stopping = publisher.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.not.ok(stopped, 'a request is still under way');
    while (!stopped) {
      held.splice(0).forEach((release) => release());
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await stopping;
    assert.ok(calls >= 2, `the queued snapshots were sent: ${calls} requests`);
    const atStop = calls;
    await new Promise((resolve) => setTimeout(resolve, 400));
    await values;
    await producer.close();
    assert.is(calls, atStop, 'nothing sent after stop()');
  }),
);

test('a real CloudWatchClient is a client; bad options throw at the call', async () => {
  const producer = { metrics$: from([]) } as never;
  const cloudWatch = new CloudWatchClient({ region: 'us-east-1' });
  await publishMetrics(producer, { client: cloudWatch, namespace: 'N' }).stop();
  cloudWatch.destroy();
  assert.throws(() => publishMetrics(producer, { client: {} as never, namespace: 'N' }), /needs a CloudWatchClient as `client`/);
  assert.throws(() => publishMetrics(producer, { client: standInClient(), namespace: 'AWS/Kinesis' }), /publishMetrics needs `namespace`/);
});

test.run();
