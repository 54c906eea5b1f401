import { from, lastValueFrom, toArray } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { toEmf } from '../../src/cloudwatch/index.js';
import { createProducer } from '../../src/producer/create-producer.js';
import type { MetricValues, MetricsSnapshot } from '../../src/metrics/metrics.js';
import { startLocalKinesis, type LocalKinesis } from '../../src/testing/index.js';
import { emfErrors } from './emf-schema.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let local: LocalKinesis;
let snapshots: MetricsSnapshot[] = [];
const test = suite('toEmf: snapshots of a real run as Embedded Metric Format');
test.before(async () => {
  local = await startLocalKinesis({ limits: true, faults: { internalFailureRate: 0.05 } });
  await local.createStream('emf-events', 3);
  const producer = createProducer({ client: local.client(), streamName: 'emf-events', metrics: { intervalMs: 300 } });
  const all = lastValueFrom(producer.metrics$.pipe(toArray()));
  await lastValueFrom(from(Array.from({ length: 4000 }, (_, i) => i)).pipe(producer.put((i) => ({ partitionKey: `device-${i % 400}`, data: `reading ${i}` })), toArray()));
  await producer.close();
  snapshots = await all;
});
test.after(async () => {
  await local?.stop();
});

type Document = Record<string, unknown> & { _aws: { Timestamp: number; CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] } };
const parse = (lines: string[]) => lines.map((l) => JSON.parse(l) as Document);
const dimensionsOf = (d: Document) => d._aws.CloudWatchMetrics[0].Dimensions;
const unitOf = (d: Document, name: string) => d._aws.CloudWatchMetrics[0].Metrics.find((m) => m.Name === name)?.Unit;

/** The values a document shows for the KPL's metrics: counts as they are, distributions by their statistics. */
function expectedValues(v: MetricValues): Record<string, number> {
  const expected: Record<string, number> = {};
  for (const [name, value] of Object.entries(v)) {
    if (typeof value === 'number') expected[name] = value;
    else if (name !== 'ErrorsByCode' && value.count > 0) {
      Object.assign(expected, { [`${name}Count`]: value.count, [`${name}Sum`]: value.sum, [`${name}Avg`]: value.sum / value.count, [`${name}Max`]: value.max, [`${name}P50`]: value.p50, [`${name}P99`]: value.p99 });
    }
  }
  return expected;
}
const valuesOf = (d: Document) => Object.fromEntries(d._aws.CloudWatchMetrics[0].Metrics.map((m) => [m.Name, d[m.Name]]));

test('the run gave several snapshots with shards and refused entries', () => {
  assert.ok(snapshots.length >= 2, `${snapshots.length} snapshots`);
  assert.ok(snapshots.some((s) => (s.stream.ErrorsByCode.InternalFailure ?? 0) > 0));
  assert.ok(snapshots.some((s) => Object.keys(s.shards).length === 3));
});

test('every document is valid EMF: the schema, and every referenced member present with its type', () => {
  for (const snapshot of snapshots) {
    for (const line of toEmf(snapshot, { namespace: 'KinesisProducer' })) assert.equal(emfErrors(line), [], line);
    for (const line of toEmf(snapshot, { namespace: 'KinesisProducer', dimensions: { Service: 'ingest', Stage: 'test' } })) assert.equal(emfErrors(line), [], line);
  }
  // What the check catches: a metric named but missing, a dimension that is a number, two lines in one.
  const [line] = toEmf(snapshots[0], { namespace: 'KinesisProducer' });
  const document = JSON.parse(line);
  assert.ok(emfErrors(JSON.stringify({ ...document, UserRecordsPut: undefined })).length > 0);
  assert.ok(emfErrors(JSON.stringify({ ...document, StreamName: 7 })).length > 0);
  assert.ok(emfErrors(JSON.stringify({ ...document, _aws: { ...document._aws, Timestamp: 1.5 } })).length > 0);
  assert.ok(emfErrors(JSON.stringify(document, null, 2)).length > 0);
});

test('one document for the stream, one per shard, one per error code on each; values, units and time are the snapshot\'s', () => {
  for (const snapshot of snapshots) {
    const documents = parse(toEmf(snapshot, { namespace: 'KinesisProducer' }));
    const shards = Object.keys(snapshot.shards);
    const codes = (v: MetricValues) => Object.keys(v.ErrorsByCode).length;
    assert.is(documents.length, 1 + codes(snapshot.stream) + shards.length + shards.reduce((n, id) => n + codes(snapshot.shards[id]), 0));
    for (const d of documents) {
      assert.is(d._aws.Timestamp, snapshot.at);
      assert.is(d._aws.CloudWatchMetrics.length, 1);
      assert.is(d._aws.CloudWatchMetrics[0].Namespace, 'KinesisProducer');
      assert.is(d.StreamName, 'emf-events');
    }

    const [stream] = documents.filter((d) => JSON.stringify(dimensionsOf(d)) === '[["StreamName"]]');
    assert.equal(valuesOf(stream), expectedValues(snapshot.stream));
    assert.is(stream.UserRecordsPending, snapshot.stream.UserRecordsPending);
    for (const id of shards) {
      const [shard] = documents.filter((d) => d.ShardId === id && JSON.stringify(dimensionsOf(d)) === '[["StreamName","ShardId"]]');
      assert.equal(valuesOf(shard), expectedValues(snapshot.shards[id]), id);
      assert.not.ok('UserRecordsPending' in shard, 'a stream-level gauge only');
    }

    const errors = documents.filter((d) => 'ErrorCode' in d);
    for (const d of errors) assert.equal(Object.keys(valuesOf(d)), ['ErrorsByCode']);
    const streamErrors = errors.filter((d) => !('ShardId' in d));
    assert.equal(Object.fromEntries(streamErrors.map((d) => [d.ErrorCode, d.ErrorsByCode])), snapshot.stream.ErrorsByCode);
    assert.ok(streamErrors.every((d) => JSON.stringify(dimensionsOf(d)) === '[["StreamName","ErrorCode"]]'));
    for (const id of shards) {
      const shardErrors = errors.filter((d) => d.ShardId === id);
      assert.equal(Object.fromEntries(shardErrors.map((d) => [d.ErrorCode, d.ErrorsByCode])), snapshot.shards[id].ErrorsByCode);
      assert.ok(shardErrors.every((d) => JSON.stringify(dimensionsOf(d)) === '[["StreamName","ShardId","ErrorCode"]]'));
    }

    assert.is(unitOf(stream, 'UserRecordsDataPut'), 'Bytes');
    assert.is(unitOf(stream, 'KinesisRecordsDataPut'), 'Bytes');
    assert.is(unitOf(stream, 'UserRecordsPut'), 'Count');
    if ('RequestTimeP99' in stream) {
      assert.is(unitOf(stream, 'RequestTimeP99'), 'Milliseconds');
      assert.is(unitOf(stream, 'RequestTimeCount'), 'Count');
    }
  }
  const busy = snapshots.find((s) => s.stream.RequestTime.count > 0)!;
  assert.ok(parse(toEmf(busy, { namespace: 'N' }))[0].RequestTimeMax === busy.stream.RequestTime.max);
});

test('a distribution without samples is left out, not sent as 0', () => {
  const idle = snapshots.at(-1)!;
  const documents = parse(toEmf({ ...idle, stream: { ...idle.stream, RequestTime: { count: 0, sum: 0, min: 0, max: 0, p50: 0, p99: 0 } } }, { namespace: 'N' }));
  assert.not.ok(documents[0]._aws.CloudWatchMetrics[0].Metrics.some((m) => m.Name.startsWith('RequestTime')));
  assert.not.ok('RequestTimeAvg' in documents[0]);
});

test('dimensions are added to every document and every dimension set; granularity stream leaves the shards out', () => {
  const snapshot = snapshots.find((s) => Object.keys(s.shards).length === 3)!;
  const documents = parse(toEmf(snapshot, { namespace: 'KinesisProducer', dimensions: { Service: 'ingest' } }));
  for (const d of documents) {
    assert.is(d.Service, 'ingest');
    assert.ok(dimensionsOf(d)[0].includes('Service'), JSON.stringify(dimensionsOf(d)));
  }
  const streamOnly = parse(toEmf(snapshot, { namespace: 'KinesisProducer', granularity: 'stream' }));
  assert.ok(streamOnly.every((d) => !('ShardId' in d)));
  assert.is(streamOnly.length, 1 + Object.keys(snapshot.stream.ErrorsByCode).length);
});

test('bad options throw at the call, saying what is wrong', () => {
  const snapshot = snapshots[0];
  assert.throws(() => toEmf(snapshot, { namespace: '' }), /toEmf needs `namespace`/);
  assert.throws(() => toEmf(snapshot, { namespace: 'AWS/Kinesis' }), /not starting with AWS\//);
  assert.throws(() => toEmf(snapshot, { namespace: 'N', dimensions: { ShardId: 'x' } }), /ShardId is a name of its own metrics/);
  assert.throws(() => toEmf(snapshot, { namespace: 'N', dimensions: { RequestTime: 'x' } }), /RequestTime is a name of its own metrics/);
  assert.throws(() => toEmf(snapshot, { namespace: 'N', dimensions: { Service: '' } }), /needs a non-empty string value/);
  const many = Object.fromEntries(Array.from({ length: 28 }, (_, i) => [`D${i}`, 'v']));
  assert.throws(() => toEmf(snapshot, { namespace: 'N', dimensions: many }), /at most 27 `dimensions`/);
  const most = Object.fromEntries(Array.from({ length: 27 }, (_, i) => [`D${i}`, 'v']));
  for (const line of toEmf(snapshot, { namespace: 'N', dimensions: most })) assert.equal(emfErrors(line), []);
  assert.throws(() => toEmf(snapshot, { namespace: 'N', granularity: 'global' as never }), /granularity/);
});

test.run();
