import { createHash } from 'node:crypto';
import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startLocalKinesis, type LocalKinesis } from '../../src/testing/index.js';
import { openShards, pool, readShard, withTimeout } from './helpers.js';

const test = suite('fast mode');
let kinesis: LocalKinesis;
let client: KinesisClient;

test.before(
  withTimeout(10_000, async () => {
    kinesis = await startLocalKinesis({ fast: true });
    await kinesis.createStream('fast', 2);
    client = kinesis.client({ maxAttempts: 1 });
  }),
);
test.after(() => kinesis?.stop());

/** The shard a key belongs to, computed here independently of the front. */
function expectedShard(shards: Awaited<ReturnType<typeof openShards>>, key: string): string {
  const hash = BigInt(`0x${createHash('md5').update(key, 'utf8').digest('hex')}`);
  return shards.find((s) => BigInt(s.HashKeyRange!.StartingHashKey!) <= hash && hash <= BigInt(s.HashKeyRange!.EndingHashKey!))!.ShardId!;
}

test(
  'answers with the right shard and sequence numbers that grow per shard, stores nothing, still throttles',
  withTimeout(10_000, async () => {
    const shards = await openShards(client, 'fast');
    const last = new Map<string, bigint>();
    let throttled = 0;
    const requests = Array.from({ length: 6 }, (_, r) => Array.from({ length: 500 }, (_, i) => ({ PartitionKey: `f${r}-${i}`, Data: Buffer.from('x') })));
    // All at once, so the buckets have no time to refill between them however loaded the machine is.
    const started = performance.now();
    const answers = await Promise.all(requests.map(async (Records) => (await client.send(new PutRecordsCommand({ StreamName: 'fast', Records }))).Records!));
    const elapsedS = (performance.now() - started) / 1000;
    for (const [r, results] of answers.entries()) {
      last.clear(); // requests in flight together have no order between them; within one, entries do
      for (const [i, result] of results.entries()) {
        if (result.ErrorCode) {
          assert.is(result.ErrorCode, 'ProvisionedThroughputExceededException');
          throttled++;
          continue;
        }
        assert.is(result.ShardId, expectedShard(shards, requests[r][i].PartitionKey));
        const seq = BigInt(result.SequenceNumber!);
        assert.ok(seq > (last.get(result.ShardId!) ?? -1n), 'sequence numbers grow per shard');
        last.set(result.ShardId!, seq);
      }
    }
    // 3000 entries over 2 shards: the 1000-record burst of each, plus what refilled while they arrived.
    assert.ok(throttled >= 1000 - 2 * 1000 * elapsedS - 100, `${throttled} throttled in ${elapsedS.toFixed(2)} s`);
    assert.ok(throttled > 0);
    for (const shardId of new Set(answers.flat().map((a) => a.ShardId).filter((id) => id !== undefined))) assert.is((await readShard(client, 'fast', shardId)).length, 0);
  }),
);

test(
  'without limits, the front answers far faster than kinesalite would store',
  withTimeout(20_000, async () => {
    const local = await startLocalKinesis({ fast: true, limits: false });
    try {
      await local.createStream('bench', 4);
      const benchClient = local.client({ maxAttempts: 1 });
      const Records = Array.from({ length: 500 }, (_, i) => ({ PartitionKey: `b${i}`, Data: Buffer.alloc(100, i) }));
      const send = () => benchClient.send(new PutRecordsCommand({ StreamName: 'bench', Records }));
      await send();
      const requests = 120;
      const start = performance.now();
      const failed = await pool(requests, 4, async () => (await send()).FailedRecordCount);
      const seconds = (performance.now() - start) / 1000;
      assert.ok(failed.every((n) => n === 0));
      const perSecond = (requests * Records.length) / seconds;
      console.log(`  fast mode through the SDK: ${Math.round(perSecond)} records/s (500 x 100 B per request, 4 in flight)`);
      assert.is(local.stats().shards.reduce((n, s) => n + s.acceptedRecords, 0), (requests + 1) * Records.length);
    } finally {
      await local.stop();
    }
  }),
);

test.run();
