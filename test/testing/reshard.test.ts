import { DescribeStreamSummaryCommand, PutRecordsCommand, SplitShardCommand, UpdateShardCountCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startLocalKinesis, type LocalKinesis } from '../../src/testing/index.js';
import { isThrottled, openShards, sleep, withTimeout } from './helpers.js';
import { offerLoad } from './load.js';

const SPACE = 1n << 128n;
const LOAD_MS = 2000;

const test = suite('resharding');
let kinesis: LocalKinesis;
let client: KinesisClient;

test.before(
  withTimeout(10_000, async () => {
    kinesis = await startLocalKinesis();
    await kinesis.createStream('grow', 2);
    await kinesis.createStream('split', 1);
    client = kinesis.client({ maxAttempts: 1 });
  }),
);
test.after(() => kinesis?.stop());

const ranges = (shards: Awaited<ReturnType<typeof openShards>>) =>
  shards.map((s) => [BigInt(s.HashKeyRange!.StartingHashKey!), BigInt(s.HashKeyRange!.EndingHashKey!)]).sort((a, b) => (a[0] < b[0] ? -1 : 1));

/** Equal ranges the way CreateStream cuts them: width floor(2^128 / n), the last one up to 2^128 - 1. */
const equalRanges = (n: number) => {
  const width = SPACE / BigInt(n);
  return Array.from({ length: n }, (_, i) => [width * BigInt(i), i === n - 1 ? SPACE - 1n : width * BigInt(i + 1) - 1n]);
};

async function waitActive(streamName: string) {
  for (let i = 0; i < 200; i++) {
    const { StreamDescriptionSummary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return StreamDescriptionSummary;
    await sleep(10);
  }
  throw new Error(`${streamName} never became ACTIVE`);
}

test(
  'UpdateShardCount 2 → 4 answers like the service and leaves 4 open shards of equal ranges',
  withTimeout(10_000, async () => {
    const out = await client.send(new UpdateShardCountCommand({ StreamName: 'grow', TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' }));
    assert.equal([out.StreamName, out.CurrentShardCount, out.TargetShardCount], ['grow', 2, 4]);
    assert.equal(ranges(await openShards(client, 'grow')), equalRanges(4));
    assert.is((await waitActive('grow')).OpenShardCount, 4);
  }),
);

test(
  'after it, the per-shard budget applies to the 4 new shards',
  withTimeout(20_000, async () => {
    kinesis.resetStats();
    const open = (await openShards(client, 'grow')).map((s) => s.ShardId!).sort();
    // 12 000 records/s over random keys: ~3x the budget of each of the 4 shards.
    const load = await offerLoad(client, { streamName: 'grow', senders: 4, periodMs: 100, entriesPerRequest: 300, durationMs: LOAD_MS, entry: (n) => ({ PartitionKey: `key-${n}`, Data: Buffer.from(`g${n}`) }) });
    const stats = kinesis.stats().shards.filter((s) => s.streamName === 'grow');
    assert.equal(stats.map((s) => s.shardId), open, 'only the open shards took writes');
    for (const shard of stats) {
      // Judged over the span the service saw: a sender's clock also counts the wait for its first answer.
      const budget = 1000 + shard.spanMs;
      assert.ok(shard.throttledRecords > 0, `${shard.shardId} was throttled`);
      assert.ok(shard.maxWindowRecords <= 2000, `${shard.shardId} max window ${shard.maxWindowRecords}`);
      assert.ok(Math.abs(shard.acceptedRecords - budget) <= budget * 0.05, `${shard.shardId} accepted ${shard.acceptedRecords}, budget ${budget.toFixed(0)}`);
    }
    const entries = load.requests.flat();
    assert.ok(entries.filter((o) => isThrottled(o.result)).every((o) => open.some((id) => o.result.ErrorMessage!.includes(id))));
    console.log(`  4 shards: accepted ${stats.map((s) => `${s.acceptedRecords} of ${(1000 + s.spanMs).toFixed(0)}`).join(', ')} over ${(load.lastSendAt - load.firstSendAt).toFixed(0)} ms of sends, throttled ${stats.map((s) => s.throttledRecords).join(', ')}`);
  }),
);

test(
  'UpdateShardCount 4 → 3 splits and merges into 3 equal ranges; beyond double or below half is refused',
  withTimeout(10_000, async () => {
    const out = await client.send(new UpdateShardCountCommand({ StreamName: 'grow', TargetShardCount: 3, ScalingType: 'UNIFORM_SCALING' }));
    assert.equal([out.CurrentShardCount, out.TargetShardCount], [4, 3]);
    assert.equal(ranges(await openShards(client, 'grow')), equalRanges(3));
    for (const target of [7, 1]) {
      const error: any = await client.send(new UpdateShardCountCommand({ StreamName: 'grow', TargetShardCount: target, ScalingType: 'UNIFORM_SCALING' })).catch((e) => e);
      assert.is(error.name, 'LimitExceededException');
      assert.match(error.message, 'Current open shard count: 3');
    }
  }),
);

test(
  'a SplitShard passed through to kinesalite moves the budget to the child shards',
  withTimeout(10_000, async () => {
    const put = () => client.send(new PutRecordsCommand({ StreamName: 'split', Records: Array.from({ length: 100 }, (_, i) => ({ PartitionKey: `s${i}`, Data: Buffer.from('x') })) }));
    assert.equal(new Set((await put()).Records!.map((r) => r.ShardId)), new Set(['shardId-000000000000']));
    await client.send(new SplitShardCommand({ StreamName: 'split', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (SPACE / 2n).toString() }));
    await waitActive('split');
    kinesis.resetStats();
    const children = new Set(['shardId-000000000001', 'shardId-000000000002']);
    assert.equal(new Set((await put()).Records!.map((r) => r.ShardId)), children);
    assert.equal(new Set(kinesis.stats().shards.map((s) => s.shardId)), children);
  }),
);

test.run();
