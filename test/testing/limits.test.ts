import { ListShardsCommand, PutRecordCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startLocalKinesis, type LocalKinesis } from '../../src/testing/index.js';
import { readShard, withTimeout } from './helpers.js';

const MiB = 1024 * 1024;
const SHARD = 'shardId-000000000000';

/** `count` records of key `k` and data filling exactly `bytes` (key + data) each, data tagged with its index. */
const records = (count: number, bytes: number, tag: number) =>
  Array.from({ length: count }, (_, i) => {
    const data = Buffer.alloc(bytes - 1, i);
    data.writeUInt32BE(tag * 1000 + i, 0);
    return { PartitionKey: 'k', Data: data };
  });

async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await promise;
  } catch (error: any) {
    return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode };
  }
  throw new Error('expected the request to be rejected');
}

const sizes = suite('request and record size limits');
let kinesis: LocalKinesis;
let client: KinesisClient;

sizes.before(
  withTimeout(10_000, async () => {
    kinesis = await startLocalKinesis({ limits: false });
    await kinesis.createStream('sizes', 1);
    client = kinesis.client({ maxAttempts: 1 });
  }),
);
sizes.after(() => kinesis?.stop());

sizes(
  'exactly 5 MiB of keys + data is accepted and stored whole (forwarded in pieces kinesalite takes)',
  withTimeout(20_000, async () => {
    const out = await client.send(new PutRecordsCommand({ StreamName: 'sizes', Records: records(5, MiB, 1) }));
    assert.is(out.FailedRecordCount, 0);
    const stored = await readShard(client, 'sizes', SHARD);
    assert.equal(stored.map((d) => Buffer.from(d).readUInt32BE(0)), [1000, 1001, 1002, 1003, 1004]);
    assert.ok(stored.every((d) => d.length === MiB - 1));
  }),
);

sizes(
  'one byte above 5 MiB is rejected whole with InvalidArgumentException and nothing is stored',
  withTimeout(20_000, async () => {
    kinesis.resetStats();
    const error = await rejection(client.send(new PutRecordsCommand({ StreamName: 'sizes', Records: [...records(5, MiB, 2), { PartitionKey: 'x', Data: new Uint8Array(0) }] })));
    assert.equal(error, { name: 'InvalidArgumentException', message: 'Records size exceeds 5 MB limit', status: 400 });
    assert.is(kinesis.stats().shards.length, 0, 'no entry was admitted');
    assert.ok(kinesis.stats().largestRequestBytes > 5 * MiB * (4 / 3), 'the whole body was read');
    assert.is((await readShard(client, 'sizes', SHARD)).length, 5);
  }),
);

sizes(
  'a record above 1 MiB and a request above 500 entries are rejected with ValidationException',
  withTimeout(10_000, async () => {
    const big = await rejection(client.send(new PutRecordsCommand({ StreamName: 'sizes', Records: [{ PartitionKey: 'k', Data: new Uint8Array(MiB + 1) }] })));
    assert.is(big.name, 'ValidationException');
    assert.match(big.message, "at 'records.1.member.data' failed to satisfy constraint: Member must have length less than or equal to 1048576");
    const keyAndData = await rejection(client.send(new PutRecordCommand({ StreamName: 'sizes', PartitionKey: 'kk', Data: new Uint8Array(MiB - 1) })));
    assert.is(keyAndData.name, 'ValidationException');
    const many = await rejection(client.send(new PutRecordsCommand({ StreamName: 'sizes', Records: Array.from({ length: 501 }, () => ({ PartitionKey: 'k', Data: new Uint8Array(1) })) })));
    assert.is(many.name, 'ValidationException');
    assert.match(many.message, 'Member must have length less than or equal to 500');
    const hashKey = await rejection(client.send(new PutRecordsCommand({ StreamName: 'sizes', Records: [{ PartitionKey: 'k', ExplicitHashKey: (1n << 128n).toString(), Data: new Uint8Array(1) }] })));
    assert.is(hashKey.name, 'InvalidArgumentException');
    assert.is((await readShard(client, 'sizes', SHARD)).length, 5);
  }),
);

sizes(
  'maxRequestBytes raised to 10 MiB takes a 6 MiB request',
  withTimeout(20_000, async () => {
    const local = await startLocalKinesis({ limits: false, maxRequestBytes: 10 * MiB });
    try {
      await local.createStream('big', 1);
      const localClient = local.client({ maxAttempts: 1 });
      const out = await localClient.send(new PutRecordsCommand({ StreamName: 'big', Records: records(6, MiB, 3) }));
      assert.is(out.FailedRecordCount, 0);
      assert.is((await readShard(localClient, 'big', SHARD)).length, 6);
      const error = await rejection(localClient.send(new PutRecordsCommand({ StreamName: 'big', Records: [...records(10, MiB, 4), { PartitionKey: 'x', Data: new Uint8Array(0) }] })));
      assert.equal(error, { name: 'InvalidArgumentException', message: 'Records size exceeds 10 MB limit', status: 400 });
    } finally {
      await local.stop();
    }
  }),
);

sizes.run();

const capacity = suite('PutRecord and a shard given part of its budget');
let limited: LocalKinesis;

capacity.before(
  withTimeout(10_000, async () => {
    limited = await startLocalKinesis();
    await limited.createStream('shared', 1);
  }),
);
capacity.after(() => limited?.stop());

capacity(
  'setShardCapacity 0.1: a burst of PutRecord gets ~100 records, the rest 400 ProvisionedThroughputExceededException',
  withTimeout(20_000, async () => {
    limited.setShardCapacity(SHARD, 0.1, 'shared');
    const localClient = limited.client({ maxAttempts: 1 });
    const start = performance.now();
    const outcomes = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        localClient.send(new PutRecordCommand({ StreamName: 'shared', PartitionKey: `k${i}`, Data: Buffer.from(`v${i}`) })).then(
          (out) => (out.ShardId === SHARD && out.SequenceNumber ? 'ok' : 'odd'),
          (error) => `${error.name} ${error.$metadata?.httpStatusCode} ${error.message}`,
        ),
      ),
    );
    const seconds = (performance.now() - start) / 1000;
    const ok = outcomes.filter((o) => o === 'ok').length;
    // Burst of 100 plus 100/s while the requests were being answered.
    assert.ok(ok >= 100 && ok <= 100 + Math.ceil(100 * seconds) + 1, `${ok} accepted in ${seconds.toFixed(2)} s`);
    const throttled = outcomes.filter((o) => o !== 'ok');
    assert.equal([...new Set(throttled)], [`ProvisionedThroughputExceededException 400 Rate exceeded for shard ${SHARD} in stream shared under account 123456789012.`]);
    const stats = limited.stats().shards[0];
    assert.is(stats.acceptedRecords, ok);
    assert.is(stats.throttledRecords, throttled.length);
  }),
);

capacity(
  'setShardCapacity 0: every entry is throttled until the capacity comes back',
  withTimeout(10_000, async () => {
    limited.setShardCapacity(SHARD, 0);
    const localClient = limited.client({ maxAttempts: 1 });
    const put = () => localClient.send(new PutRecordsCommand({ StreamName: 'shared', Records: [{ PartitionKey: 'a', Data: Buffer.from('x') }] }));
    assert.is((await put()).FailedRecordCount, 1);
    limited.setShardCapacity(SHARD, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.is((await put()).FailedRecordCount, 0);
  }),
);

capacity(
  'drainBudget: a stream not written yet and one that was both start from empty buckets; other streams keep their burst',
  withTimeout(20_000, async () => {
    await Promise.all([limited.createStream('cold', 1), limited.createStream('warm', 1), limited.createStream('other', 1)]);
    const localClient = limited.client({ maxAttempts: 1 });
    const put = async (StreamName: string, count: number) => {
      const out = await localClient.send(new PutRecordsCommand({ StreamName, Records: Array.from({ length: count }, (_, i) => ({ PartitionKey: `k${i}`, Data: Buffer.from('x') })) }));
      return count - out.FailedRecordCount!;
    };
    assert.is(await put('warm', 1), 1, 'the warm stream has written once: its bucket exists, full');
    const drainedAt = performance.now();
    limited.drainBudget('cold');
    limited.drainBudget('warm');
    const [cold, warm, other] = await Promise.all([put('cold', 500), put('warm', 500), put('other', 500)]);
    // What refilled since the drain, at 1000 records/s, and no burst.
    const refilled = Math.ceil(performance.now() - drainedAt) + 1;
    assert.ok(cold <= refilled, `cold stream: ${cold} accepted, at most ${refilled} refilled`);
    assert.ok(warm <= refilled, `warm stream: ${warm} accepted, at most ${refilled} refilled`);
    assert.is(other, 500, 'a stream not drained keeps the burst of an idle shard');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // 300 ms later the buckets hold what refilled: a third of a second's budget, give or take the clocks.
    const later = await put('cold', 500);
    assert.ok(later >= 250 && later <= 500, `cold stream after 300 ms: ${later} accepted`);
  }),
);

capacity.run();

const arn = suite('streams named by ARN');
let named: LocalKinesis;

arn.before(
  withTimeout(10_000, async () => {
    named = await startLocalKinesis();
    await named.createStream('by-arn', 2);
  }),
);
arn.after(() => named?.stop());

arn(
  'PutRecords and proxied calls accept StreamARN in place of StreamName',
  withTimeout(10_000, async () => {
    const localClient = named.client({ maxAttempts: 1 });
    const StreamARN = `arn:aws:kinesis:${named.region}:123456789012:stream/by-arn`;
    const { Shards } = await localClient.send(new ListShardsCommand({ StreamARN }));
    assert.is(Shards?.length, 2);
    const out = await localClient.send(new PutRecordsCommand({ StreamARN, Records: [{ PartitionKey: 'a', Data: Buffer.from('x') }] }));
    assert.is(out.FailedRecordCount, 0);
    assert.is(named.stats().shards[0].streamName, 'by-arn');
  }),
);

arn.run();
