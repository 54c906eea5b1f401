import http2 from 'node:http2';
import { KinesisClient, PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startLocalKinesis, type LocalKinesis } from '../../src/testing/index.js';
import { describeError, errorOf, isThrottled, openShards, pool, readShard, withTimeout } from './helpers.js';

const MiB = 1024 * 1024;
const SHARD = 'shardId-000000000000';
const text = (data: Uint8Array) => Buffer.from(data).toString();

const test = suite('HTTP/2 (the SDK default client) and HTTP/1.1 on one port');
let kinesis: LocalKinesis;
let h2: KinesisClient;

test.before(
  withTimeout(10_000, async () => {
    kinesis = await startLocalKinesis();
    // Exactly what an app writes: no request handler, so the SDK's default HTTP/2 one.
    h2 = new KinesisClient({ endpoint: kinesis.endpoint, region: kinesis.region, credentials: kinesis.credentials, maxAttempts: 1 });
  }),
);
test.after(async () => {
  h2?.destroy();
  await kinesis?.stop();
});

test(
  'the default client puts records and reads them back; an HTTP/1.1 client on the same port sees the same records',
  withTimeout(10_000, async () => {
    await kinesis.createStream('both', 1);
    const h1 = kinesis.client({ maxAttempts: 1 });
    const batch = await h2.send(new PutRecordsCommand({ StreamName: 'both', Records: ['a', 'b'].map((v) => ({ PartitionKey: v, Data: Buffer.from(`h2-${v}`) })) }));
    assert.is(batch.FailedRecordCount, 0);
    const one = await h2.send(new PutRecordCommand({ StreamName: 'both', PartitionKey: 'c', Data: Buffer.from('h2-c') }));
    assert.is(one.ShardId, SHARD);
    assert.is((await h1.send(new PutRecordsCommand({ StreamName: 'both', Records: [{ PartitionKey: 'd', Data: Buffer.from('h1-d') }] }))).FailedRecordCount, 0);
    const expected = ['h2-a', 'h2-b', 'h2-c', 'h1-d'];
    assert.equal((await readShard(h2, 'both', SHARD)).map(text), expected, 'read over HTTP/2');
    assert.equal((await readShard(h1, 'both', SHARD)).map(text), expected, 'read over HTTP/1.1');
  }),
);

test(
  'both protocols at once, 200 requests 20 in flight: every one answered',
  withTimeout(20_000, async () => {
    await kinesis.createStream('mixed', 4);
    const h1 = kinesis.client({ maxAttempts: 1 });
    const failed = await pool(200, 20, async (i) => {
      const out = await (i % 2 ? h1 : h2).send(new PutRecordsCommand({ StreamName: 'mixed', Records: [{ PartitionKey: `k${i}`, Data: Buffer.from(`${i}`) }] }));
      return out.FailedRecordCount;
    });
    assert.ok(failed.every((n) => n === 0));
    const stored = await Promise.all((await openShards(h2, 'mixed')).map((s) => readShard(h2, 'mixed', s.ShardId!)));
    assert.equal(stored.flat().map((d) => Number(text(d))).sort((a, b) => a - b), Array.from({ length: 200 }, (_, i) => i));
  }),
);

test(
  'HTTP/2: the per-shard budget throttles entries, and PutRecord with 400, as on HTTP/1.1',
  withTimeout(10_000, async () => {
    await kinesis.createStream('budget', 1);
    const Records = Array.from({ length: 500 }, (_, i) => ({ PartitionKey: `k${i}`, Data: Buffer.from('x') }));
    const start = performance.now();
    const answers = await Promise.all([1, 2, 3, 4].map(() => h2.send(new PutRecordsCommand({ StreamName: 'budget', Records }))));
    const seconds = (performance.now() - start) / 1000;
    const results = answers.flatMap((a) => a.Records!);
    const throttled = results.filter(isThrottled).length;
    const accepted = results.length - throttled;
    // 2000 entries at once against a full 1000-record bucket that refills 1000 records/s while they are answered.
    assert.ok(throttled > 0 && accepted >= 1000 && accepted <= 1000 + Math.ceil(1000 * seconds) + 1, `${accepted} accepted in ${seconds.toFixed(2)} s`);
    const [stats] = kinesis.stats().shards.filter((s) => s.streamName === 'budget');
    assert.is(stats.throttledRecords, throttled);
    kinesis.setShardCapacity(SHARD, 0, 'budget');
    const error = await errorOf(h2.send(new PutRecordCommand({ StreamName: 'budget', PartitionKey: 'a', Data: Buffer.from('x') })));
    assert.is(error.name, 'ProvisionedThroughputExceededException', describeError(error));
    assert.is(error.$metadata.httpStatusCode, 400);
    kinesis.setShardCapacity(SHARD, 1, 'budget');
  }),
);

test(
  'HTTP/2: 5 MiB is taken whole; above it, 500 entries and 1 MiB records are refused as on HTTP/1.1; a body past the read limit gets 413',
  withTimeout(30_000, async () => {
    const local = await startLocalKinesis({ limits: false });
    const client = new KinesisClient({ endpoint: local.endpoint, region: local.region, credentials: local.credentials, maxAttempts: 1 });
    try {
      await local.createStream('sizes', 1);
      const records = (count: number, bytes: number) => Array.from({ length: count }, (_, i) => ({ PartitionKey: 'k', Data: Buffer.alloc(bytes - 1, i) }));
      assert.is((await client.send(new PutRecordsCommand({ StreamName: 'sizes', Records: records(5, MiB) }))).FailedRecordCount, 0);
      const over = await errorOf(client.send(new PutRecordsCommand({ StreamName: 'sizes', Records: [...records(5, MiB), { PartitionKey: 'x', Data: new Uint8Array(0) }] })));
      assert.equal([over.name, over.message], ['InvalidArgumentException', 'Records size exceeds 5 MB limit']);
      const many = await errorOf(client.send(new PutRecordsCommand({ StreamName: 'sizes', Records: records(501, 2) })));
      assert.is(many.name, 'ValidationException');
      const big = await errorOf(client.send(new PutRecordsCommand({ StreamName: 'sizes', Records: [{ PartitionKey: 'k', Data: new Uint8Array(MiB + 1) }] })));
      assert.is(big.name, 'ValidationException');
      assert.is((await readShard(client, 'sizes', SHARD)).length, 5);

      // 10 MiB of raw bytes: past the 5 MiB limit's read bound (base64 of 5 MiB, plus 2 MiB of room).
      const status = await new Promise<number>((resolve, reject) => {
        const session = http2.connect(local.endpoint);
        session.on('error', reject);
        const req = session.request({ ':method': 'POST', ':path': '/', 'x-amz-target': 'Kinesis_20131202.PutRecords', 'content-type': 'application/x-amz-json-1.1' });
        req.on('response', (headers) => {
          resolve(Number(headers[':status']));
          session.close();
        });
        req.on('error', reject);
        req.end(Buffer.alloc(10 * MiB, 0x20));
      });
      assert.is(status, 413);
    } finally {
      client.destroy();
      await local.stop();
    }
  }),
);

test.run();
