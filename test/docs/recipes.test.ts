import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KafkaMessage } from 'kafkajs';
import { filter, from, interval, merge, Subject, take, timer } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createProducer } from '../../src/index.js';
import { startLocalKinesis, type LocalKinesis } from '../../src/testing/index.js';
import { requireRedis, startRedis } from '../throttle/shared/redis-server.js';
import * as aggregationLambda from '../../docs/recipes/code/aggregation-lambda.js';
import * as failedValues from '../../docs/recipes/code/failed-values.js';
import * as gracefulShutdown from '../../docs/recipes/code/graceful-shutdown.js';
import * as hotShard from '../../docs/recipes/code/hot-shard.js';
import * as hugeFile from '../../docs/recipes/code/huge-file.js';
import * as iotDeviceEvents from '../../docs/recipes/code/iot-device-events.js';
import * as kafkaOffsets from '../../docs/recipes/code/kafka-offsets.js';
import * as lambdaEmf from '../../docs/recipes/code/lambda-emf.js';
import * as keyOrder from '../../docs/recipes/code/key-order.js';
import * as localThrottling from '../../docs/recipes/code/local-throttling.js';
import * as nodeStreams from '../../docs/recipes/code/node-streams.js';
import * as otelMetrics from '../../docs/recipes/code/otel-metrics.js';
import * as resumeFile from '../../docs/recipes/code/resume-file.js';
import * as sharedLimits from '../../docs/recipes/code/shared-limits.js';
import * as sqsDelete from '../../docs/recipes/code/sqs-delete.js';
import * as stages from '../../docs/recipes/code/stages.js';
import * as watchSignals from '../../docs/recipes/code/watch-signals.js';
import { matchesDocumentedOutput, printed, shape } from './output.js';
import { decodeAggregate, isAggregate } from '../../src/kpl/index.js';
import { readBack } from '../helpers/read-back.js';
import { AcknowledgedRecords, StandInConsumer, StandInQueue } from './stand-ins.js';
import { emfErrors } from '../cloudwatch/emf-schema.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** Fails a test that would otherwise hang: uvu has no timeouts of its own. */
function withTimeout(ms: number, work: () => Promise<void>): () => Promise<void> {
  return () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)));
    return Promise.race([work(), timeout]).finally(() => clearTimeout(timer));
  };
}

const recipes = suite('recipes run against the local Kinesis (limits on) and print what their pages show');
let kinesis: LocalKinesis;
let scratch: string;
recipes.before(async () => {
  kinesis = await startLocalKinesis({ limits: true });
  scratch = mkdtempSync(join(tmpdir(), 'rxjs-kinesis-recipes-'));
});
recipes.after(async () => {
  await kinesis?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

// #region iot
recipes('IoT events keyed by device id: all sent, spread over the 4 shards', withTimeout(20_000, async () => {
  await kinesis.createStream('iot-events', 4);
  const { result, lines } = await printed(() => iotDeviceEvents.main({ client: kinesis.client(), streamName: 'iot-events' }));
  assert.is(result.sent, 2000);
  assert.equal(result.failed, []);
  assert.is(result.perShard.size, 4);
  matchesDocumentedOutput('iot-device-events', lines, 'exact');
}));
// #endregion iot

// #region key-order
recipes('key order: with 5% of entries failing, \'none\' stores some events after later ones of their account, \'perKey\' none', withTimeout(60_000, async () => {
  await kinesis.createStream('account-events', 2);
  kinesis.setFaults({ internalFailureRate: 0.05 }); // refused entries are retried: what reorders a key
  try {
    const { result, lines } = await printed(() => keyOrder.main({ client: kinesis.client(), streamName: 'account-events' }));
    assert.equal([result.none.sent, result.perKey.sent, result.perKeyAggregated.sent], [3000, 3000, 3000]);
    assert.ok(result.none.late > 0, `'none' stored some out of order: ${result.none.late}`);
    assert.is(result.perKey.late, 0);
    assert.is(result.perKeyAggregated.late, 0);
    matchesDocumentedOutput('key-order', lines, 'shapes');
  } finally {
    kinesis.setFaults({ internalFailureRate: 0 });
  }
}));
// #endregion key-order

// #region hot-shard
recipes('hot shard: a browser-name key leaves a shard idle and throttles another; a session key spreads', withTimeout(30_000, async () => {
  await kinesis.createStream('clicks', 4);
  const { result, lines } = await printed(() => hotShard.main({ client: kinesis.client(), streamName: 'clicks' }));
  const records = (r: typeof result.byBrowser) => [...r.shards.values()].map((s) => s.records);
  const throttled = (r: typeof result.byBrowser) => Math.max(...[...r.shards.values()].map((s) => s.throttled));
  assert.ok(records(result.byBrowser).includes(0), 'keyed by browser, one shard gets nothing');
  assert.ok(Math.max(...records(result.byBrowser)) >= 0.5 * 2000, 'keyed by browser, one shard gets most');
  assert.ok(Math.max(...records(result.bySession)) < 0.3 * 2000, 'keyed by session, no shard gets more than 30%');
  assert.ok(throttled(result.byBrowser) > 3 * throttled(result.bySession), 'the hot shard is throttled far more');
  matchesDocumentedOutput('hot-shard', lines, 'shapes');
}));
// #endregion hot-shard

// #region huge-file
recipes('huge file: every line sent, reading paused before any shard had more than a third of the TTL to wait', withTimeout(30_000, async () => {
  await kinesis.createStream('access-logs', 4);
  const LINES = 20_000; // several times what the shards may hold
  const file = join(scratch, 'access.log');
  const line = (i: number) => `10.0.${(i * 7) % 256}.${(i * 13) % 256} - - [25/Nov/2026:10:00:00 +0000] "GET /item/${i} HTTP/1.1" 200 512`;
  writeFileSync(file, `${Array.from({ length: LINES }, (_, i) => line(i)).join('\n')}\n`);
  // A short TTL so that pressure turns high within seconds: a value may expect to wait 2 s.
  const recordTtlMs = 6000;
  const { result, lines } = await printed(() => hugeFile.main({ client: kinesis.client(), streamName: 'access-logs', file, recordTtlMs }));
  assert.equal({ read: result.read, sent: result.sent, failed: result.failed }, { read: LINES, sent: LINES, failed: 0 });
  assert.ok(result.pauses > 0, 'reading paused');
  const maxWaitMs = recordTtlMs / 3;
  assert.ok(result.longestWaitMs >= 0.8 * maxWaitMs && result.longestWaitMs <= maxWaitMs, `longest expected wait ${result.longestWaitMs} ms`);
  // What 4 shards take in that wait, at the service's 1000 records/s each: the bound, whatever the file's size.
  assert.ok(result.mostHeld < LINES && result.mostHeld <= 4 * 1000 * (maxWaitMs / 1000), `held ${result.mostHeld}`);
  matchesDocumentedOutput('huge-file', lines, 'shapes');
}));
// #endregion huge-file

// #region resume-file
recipes('resume a file: a run picks up at the saved checkpoint, sends the rest once, and saves the end', withTimeout(30_000, async () => {
  await kinesis.createStream('resume-logs', 2);
  const file = join(scratch, 'resume.log');
  const checkpointFile = join(scratch, 'resume.log.checkpoint');
  const line = (i: number) => `10.2.${(i * 7) % 256}.${(i * 13) % 256} - - [25/Nov/2026:10:00:00 +0000] "GET /item/${i} HTTP/1.1" 200 512`;
  const text = `${Array.from({ length: 5000 }, (_, i) => line(i)).join('\n')}\n`;
  writeFileSync(file, text);
  // A previous run decided the first 2,000 lines before it stopped.
  const committed = Buffer.byteLength(`${Array.from({ length: 2000 }, (_, i) => line(i)).join('\n')}\n`);
  writeFileSync(checkpointFile, String(committed));
  const client = kinesis.client();
  const { result, lines } = await printed(() => resumeFile.main({ client, streamName: 'resume-logs', file, checkpointFile }));
  assert.equal(result, { from: committed, sent: 3000, failed: 0, saves: result.saves, last: Buffer.byteLength(text) });
  assert.ok(result.saves > 0);
  assert.is(readFileSync(checkpointFile, 'utf8'), String(Buffer.byteLength(text)), 'the saved checkpoint is the end of the file');
  const stored = [...(await readBack(client, 'resume-logs')).values()].flat().map((r) => Buffer.from(r.Data!).toString('utf8'));
  assert.equal(stored.sort(), Array.from({ length: 3000 }, (_, i) => line(2000 + i)).sort(), 'the lines after the checkpoint, each once');
  matchesDocumentedOutput('resume-file', lines, 'shapes');
  // Run again: nothing left to send.
  const again = await printed(() => resumeFile.main({ client, streamName: 'resume-logs', file, checkpointFile }));
  assert.equal({ sent: again.result.sent, last: again.result.last }, { sent: 0, last: Buffer.byteLength(text) });
}));
// #endregion resume-file

// #region kafka-offsets
recipes('Kafka offsets: every message stored, no commit past one Kinesis had not acknowledged, the last at the end', withTimeout(30_000, async () => {
  await kinesis.createStream('orders-from-kafka', 2);
  const acknowledged = new AcknowledgedRecords(); // what Kinesis accepted, as its answers arrive
  const client = kinesis.client({ requestHandler: acknowledged });
  const text = (partition: number, offset: number) => `order ${partition}-${offset}`;
  const message = (partition: number, offset: number): KafkaMessage => ({
    key: Buffer.from(`customer-${(partition * 7919 + offset) % 500}`),
    value: Buffer.from(text(partition, offset)),
    timestamp: '1764064800000',
    attributes: 0,
    offset: String(offset),
    headers: {},
  });
  // 3 partitions of 3,000 messages, fetched 1,500 at a time; each commit is checked against what Kinesis has.
  const partitions = [0, 1, 2].map((p) => Array.from({ length: 3000 }, (_, o) => message(p, o)));
  const consumer = new StandInConsumer('orders', partitions, 1500, (p, m) => acknowledged.stored.has(text(p, Number(m.offset))));
  // A short recordTtlMs: the producer fills up within the test, and fetching pauses.
  const run = () => kafkaOffsets.main({ client, streamName: 'orders-from-kafka', consumer, topic: 'orders', recordTtlMs: 6000, stop$: from(consumer.allResolved) });
  const { result, lines } = await printed(run);
  assert.equal(consumer.commits.filter((c) => c.ahead.length > 0), [], 'no commit past a message Kinesis had not acknowledged');
  assert.equal({ sent: result.sent, failed: result.failed }, { sent: 9000, failed: 0 });
  for (const p of [0, 1, 2]) {
    const offsets = consumer.commits.filter((c) => c.partition === p).map((c) => Number(c.offset));
    assert.equal(offsets, [...offsets].sort((a, b) => a - b), `partition ${p}: commits never go back`);
    assert.is(offsets.at(-1), 3000, `partition ${p}: the last commit is the offset after its last message`);
  }
  assert.equal(consumer.ignoredCommits, [], 'every commit came before disconnect()');
  assert.ok(consumer.pauses > 0 && consumer.heartbeats > 0, `${consumer.pauses} pauses, ${consumer.heartbeats} heartbeats`);
  const inKinesis = [...(await readBack(client, 'orders-from-kafka')).values()].flat().map((r) => Buffer.from(r.Data!).toString());
  assert.equal(inKinesis.sort(), partitions.flat().map((m) => m.value!.toString()).sort(), 'every message stored once');
  matchesDocumentedOutput('kafka-offsets', lines, 'shapes');
}));
// #endregion kafka-offsets

// #region sqs-delete
recipes('SQS deletes: each message deleted once, after Kinesis had it; a failed entry retried, a failed message left', withTimeout(30_000, async () => {
  await kinesis.createStream('orders-from-sqs', 2);
  const acknowledged = new AcknowledgedRecords(); // what Kinesis accepted, as its answers arrive
  const client = kinesis.client({ requestHandler: acknowledged });
  const bodies = Array.from({ length: 300 }, (_, i) => JSON.stringify({ orderId: i, customer: `customer-${i % 37}`, total: i * 3 }));
  // 1 MiB: with its partition key, too large for a Kinesis record, so it fails and is not deleted.
  bodies.push('x'.repeat(1024 * 1024));
  const queueUrl = 'https://sqs.us-east-1.amazonaws.com/123456789012/orders';
  // Answers its first DeleteMessageBatch with a failed entry; checks each deletion against what Kinesis has.
  const queue = new StandInQueue(queueUrl, bodies, (body) => acknowledged.stored.has(body));
  const stalledRun = new Subject<void>();
  // All deleted but the one that failed; or the watchdog stops a stalled run, so that it does not keep the process.
  const stop$ = merge(interval(20).pipe(filter(() => queue.size === 1)), stalledRun).pipe(take(1));
  // If the run hangs, say where it stood: how many messages were received, deleted, and are left.
  const state = () =>
    `${queue.receiveRequests} receives, ${queue.deleteRequests} DeleteMessageBatch, ${queue.deletions.length} deleted, ${queue.size} left, ${acknowledged.stored.size} in Kinesis; ` +
    `Kinesis requests ${JSON.stringify(Object.fromEntries(acknowledged.requests))}, the local Kinesis saw ${JSON.stringify(kinesis.stats().operations)}`;
  let watchdog: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) =>
    (watchdog = setTimeout(() => {
      reject(new Error(`no end after 25 s: ${state()}`));
      stalledRun.next();
    }, 25_000)),
  );
  const { result, lines } = await Promise.race([printed(() => sqsDelete.main({ client, streamName: 'orders-from-sqs', sqs: queue, queueUrl, stop$ })), stalled]).finally(() => clearTimeout(watchdog));
  assert.equal(result, { received: 301, failed: 1, deleted: 300, requests: result.requests, retried: 1, kept: 0 });
  assert.equal(queue.deletions.map((d) => d.id).sort(), bodies.slice(0, 300).map((_, i) => `m-${i}`).sort(), 'each sent message deleted once');
  assert.ok(queue.deletions.every((d) => d.storedBefore), 'none deleted before Kinesis had it');
  assert.is(queue.receivesOf('m-300'), 1, 'the failed message stays, to come back after its visibility timeout');
  const inKinesis = [...(await readBack(client, 'orders-from-sqs')).values()].flat().map((r) => Buffer.from(r.Data!).toString());
  assert.equal(inKinesis.sort(), bodies.slice(0, 300).sort());
  matchesDocumentedOutput('sqs-delete', lines, 'shapes');
}));
// #endregion sqs-delete

// #region node-streams
recipes('node streams: a file through pipeline and toWritable, every line stored once', withTimeout(30_000, async () => {
  await kinesis.createStream('access-logs-streams', 4);
  const file = join(scratch, 'streams.log');
  const line = (i: number) => `10.1.${(i * 7) % 256}.${(i * 13) % 256} - - [25/Nov/2026:10:00:00 +0000] "GET /item/${i} HTTP/1.1" 200 512`;
  writeFileSync(file, `${Array.from({ length: 5000 }, (_, i) => line(i)).join('\n')}\n`);
  const client = kinesis.client();
  const { result, lines } = await printed(() => nodeStreams.main({ client, streamName: 'access-logs-streams', file }));
  assert.equal(result, { sent: 5000, failed: 0 });
  matchesDocumentedOutput('node-streams', lines, 'exact');
  const stored = [...(await readBack(client, 'access-logs-streams')).values()]
    .flat()
    .flatMap((r) => (isAggregate(r.Data!) ? decodeAggregate(r.Data!).map((u) => u.data) : [r.Data!]))
    .map((data) => Buffer.from(data).toString());
  assert.equal(stored.sort(), Array.from({ length: 5000 }, (_, i) => line(i)).sort());
}));
// #endregion node-streams

// #region watch-signals
recipes('watching signals: one line per second with retries of injected failures, then all sent', withTimeout(30_000, async () => {
  await kinesis.createStream('events', 2);
  kinesis.setFaults({ internalFailureRate: 0.02 });
  try {
    const { result, lines } = await printed(() => watchSignals.main({ client: kinesis.client(), streamName: 'events' }));
    assert.is(result.sent, 3000);
    assert.is(result.failed, 0);
    assert.ok(lines.some((l) => /retried [1-9]\d* \(InternalFailure\)/.test(l)), lines.join('\n'));
    matchesDocumentedOutput('watch-signals', lines, 'shapes', (l) => shape(l).replace(/retried # \([^)]*\)/, 'retried #'));
  } finally {
    kinesis.setFaults({ internalFailureRate: 0 });
  }
}));
// #endregion watch-signals

// #region failed-values
recipes('failed values: broken ones reported as bugs, retryable ones kept in the dead-letter file', withTimeout(30_000, async () => {
  await kinesis.createStream('orders', 2);
  const deadLetterFile = join(scratch, 'dead-letters.jsonl');
  const { result, lines } = await printed(() => failedValues.main({ client: kinesis.client(), streamName: 'orders', deadLetterFile: 'dead-letters.jsonl' }));
  assert.is(result.sent, 998);
  assert.is(result.bugs.length, 2);
  matchesDocumentedOutput('failed-values', lines, 'exact');
  rmSync('dead-letters.jsonl', { force: true });

  // Every entry fails while recordTtlMs is short: those values land in the dead-letter file.
  kinesis.setFaults({ internalFailureRate: 1 });
  try {
    const { result: kept } = await printed(() => failedValues.main({ client: kinesis.client(), streamName: 'orders', orders: 20, deadLetterFile, recordTtlMs: 300 }));
    assert.is(kept.retryLater, 18);
    const letters = readFileSync(deadLetterFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.is(letters.length, 18);
    assert.ok(letters.every((l) => l.error === 'Expired'));
  } finally {
    kinesis.setFaults({ internalFailureRate: 0 });
  }
}));
// #endregion failed-values

// #region graceful-shutdown
recipes('graceful shutdown: every job taken before the stop is sent; a Lambda batch reports only its failures', withTimeout(30_000, async () => {
  await kinesis.createStream('jobs', 2);
  const { result, lines } = await printed(() => gracefulShutdown.main({ client: kinesis.client(), streamName: 'jobs', stop$: timer(500) }));
  assert.ok(result.taken > 0);
  assert.is(result.sent, result.taken);
  matchesDocumentedOutput('graceful-shutdown', lines, 'shapes');

  const producer = createProducer({ client: kinesis.client(), streamName: 'jobs' });
  const event = { Records: [{ messageId: 'm-1', body: 'ok' }, { messageId: 'm-2', body: 'x'.repeat(2 * 1024 * 1024) }, { messageId: 'm-3', body: 'ok' }] };
  assert.equal(await gracefulShutdown.sendMessages(producer, event), { batchItemFailures: [{ itemIdentifier: 'm-2' }] });
  await producer.close();
}));
// #endregion graceful-shutdown

// #region local-throttling
recipes('local throttling: the service throttles the shard another writer shares; nothing is lost', withTimeout(30_000, async () => {
  const { result, lines } = await printed(() => localThrottling.main());
  assert.is(result.outcomes.filter((o) => o.ok).length, 1000);
  assert.is(result.lost, 0);
  assert.is(result.stored, 1000);
  const [shared] = result.stats.shards;
  assert.ok(shared.throttledRecords > 0, 'the service throttled the shared shard');
  matchesDocumentedOutput('local-throttling', lines, 'shapes');
}));
// #endregion local-throttling

// #region stages
recipes('stages: a dry run shows where keys land, then the same stages send', withTimeout(20_000, async () => {
  await kinesis.createStream('events-by-user', 4);
  const { result, lines } = await printed(() => stages.main({ client: kinesis.client(), streamName: 'events-by-user' }));
  assert.is(result.sent, 12);
  assert.is(result.failed, 3);
  matchesDocumentedOutput('stages', lines, 'exact');
}));
// #endregion stages

// #region aggregation
recipes('aggregation for Lambda: the consumer sees every reading once, no invocation above the bound', withTimeout(20_000, async () => {
  await kinesis.createStream('telemetry', 2);
  const { result, lines } = await printed(() => aggregationLambda.main({ client: kinesis.client(), streamName: 'telemetry' }));
  assert.is(result.sent, 5000);
  assert.is(result.distinct, 5000);
  assert.ok(result.kinesisRecords < 100, `${result.kinesisRecords} Kinesis records`);
  assert.ok(result.mostPerInvocation <= 100 * 100);
  matchesDocumentedOutput('aggregation-lambda', lines, 'shapes');
}));
// #endregion aggregation

// #region shared-limits
recipes('shared limits: three replicas on one shard share its budget through Redis', withTimeout(30_000, async () => {
  requireRedis();
  const redis = await startRedis();
  try {
    await kinesis.createStream('shared', 1);
    const redisUrl = `redis://127.0.0.1:${redis.port}`;
    const { result, lines } = await printed(() => sharedLimits.main({ client: kinesis.client(), streamName: 'shared', redisUrl, replicas: 3, events: 600 }));
    assert.equal(result.map((r) => r.sent), [600, 600, 600]);
    const throttled = result.reduce((n, r) => n + r.serviceThrottles, 0);
    assert.ok(throttled < 0.05 * 1800, `${throttled} records throttled by the service`);
    matchesDocumentedOutput('shared-limits', lines, 'shapes');
  } finally {
    await redis.stop();
  }
}));
// #endregion shared-limits

// #region otel-metrics
recipes('OpenTelemetry: attempts per shard and error.type, request durations and the gauges, exported as the producer worked', withTimeout(30_000, async () => {
  await kinesis.createStream('orders-otel', 2);
  kinesis.setFaults({ internalFailureRate: 0.05 });
  try {
    const { result, lines } = await printed(() => otelMetrics.main({ client: kinesis.client(), streamName: 'orders-otel' }));
    assert.is(result.sent, 3000);
    const points = (name: string) => result.exported.find((m) => m.descriptor.name === name)?.dataPoints ?? [];
    const attempts = points('messaging.client.sent.messages') as { attributes: Record<string, unknown>; value: number }[];
    const ok = attempts.filter((p) => p.attributes['error.type'] === undefined);
    assert.is(ok.reduce((n, p) => n + p.value, 0), 3000, 'one successful attempt per order');
    assert.is(ok.length, 2, 'one series per shard');
    assert.ok(attempts.some((p) => p.attributes['error.type'] === 'InternalFailure'), 'the injected failures, by error.type');
    assert.ok(points('messaging.client.operation.duration').length >= 2);
    assert.equal(points('messaging.kinesis.producer.pending').map((p) => p.value), [0]);
    assert.equal(points('messaging.kinesis.producer.pressure').map((p) => p.value), [0]);
    assert.ok(lines.some((l) => /^messaging\.client\.sent\.messages \{shardId-\d+ error\.type=InternalFailure\}: [1-9]/.test(l)), lines.join('\n'));
    matchesDocumentedOutput('otel-metrics', lines, 'shapes', (l) => shape(l).replace(/error\.type=\w+/, 'error.type=CODE'));
  } finally {
    kinesis.setFaults({ internalFailureRate: 0 });
  }
}));
// #endregion otel-metrics

// #region lambda-emf
recipes('Lambda EMF: each invocation prints valid EMF lines with its own figures; nothing left in the producer', withTimeout(30_000, async () => {
  await kinesis.createStream('orders-lambda', 2);
  const { result, lines } = await printed(() => lambdaEmf.main({ client: kinesis.client(), streamName: 'orders-lambda' }));
  assert.equal(result.responses, [{ batchItemFailures: [] }, { batchItemFailures: [] }]);
  for (const line of lines) assert.equal(emfErrors(line), [], line);
  const documents = lines.map((l) => JSON.parse(l));
  const stream = documents.filter((d) => d.ShardId === undefined && d.ErrorCode === undefined);
  assert.equal(stream.map((d) => [d.UserRecordsReceived, d.UserRecordsPut, d.UserRecordsPending]), [[500, 500, 0], [500, 500, 0]], 'one document per invocation, with its own counts');
  assert.ok(stream.every((d) => d._aws.CloudWatchMetrics[0].Namespace === 'OrdersIngest' && d.StreamName === 'orders-lambda'));
  const shards = documents.filter((d) => d.ShardId !== undefined);
  assert.is(shards.length, 4, 'two shards per invocation');
  assert.is(shards.reduce((n, d) => n + d.UserRecordsPut, 0), 1000);
  assert.ok(stream[0]._aws.Timestamp <= stream[1]._aws.Timestamp);
  matchesDocumentedOutput('lambda-emf', lines, 'shapes');

  // A message over the record size limit fails alone and goes back to SQS.
  const invoke = lambdaEmf.createHandler({ client: kinesis.client(), streamName: 'orders-lambda' });
  const { result: response, lines: more } = await printed(() => invoke({ Records: [{ messageId: 'ok', body: 'fine' }, { messageId: 'big', body: 'x'.repeat(2 * 1024 * 1024) }] }));
  assert.equal(response, { batchItemFailures: [{ itemIdentifier: 'big' }] });
  assert.is(JSON.parse(more[0]).UserRecordsPut, 1);
}));
// #endregion lambda-emf

recipes.run();
