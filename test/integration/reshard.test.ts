import { createHash } from 'node:crypto';
import { UpdateShardCountCommand } from '@aws-sdk/client-kinesis';
import { interval, mergeMap, range, take } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeAggregate, isAggregate } from '../../src/kpl/index.js';
import { createProducer } from '../../src/producer/create-producer.js';
import type { ProducerSignal } from '../../src/producer/signals.js';
import { listAllShards } from '../../src/kinesis/shard-map.js';
import { startLocalKinesis, type LocalKinesis } from '../../src/testing/index.js';
import type { PutOutcome } from '../../src/records/outcome.js';
import { readBack } from '../helpers/read-back.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const md5 = (key: string) => BigInt(`0x${createHash('md5').update(key, 'utf8').digest('hex')}`);
const VALUES = 50_000;
const PER_TICK = 50; // every 10 ms: 5,000 values/s for 10 s

const reshard = suite('resharding while producing (local Kinesis, limits off)');
let local: LocalKinesis;
reshard.before(async () => {
  local = await startLocalKinesis({ limits: false });
});
reshard.after(async () => {
  await local?.stop();
});

for (const aggregation of [false, true] as const) {
  reshard(`2 -> 4 -> 3 shards mid-stream, aggregation ${aggregation ? 'on' : 'off'}: one outcome each, every sent value read where its outcome says`, async () => {
    const stream = `reshard-${aggregation ? 'agg' : 'plain'}`;
    await local.createStream(stream, 2);
    const client = local.client();
    const arn = `arn:aws:kinesis:${local.region}:123456789012:stream/${stream}`;
    const producer = createProducer({ client, streamARN: arn, rateLimit: false, aggregation: aggregation ? {} : false });
    const signals: ProducerSignal[] = [];
    producer.signals$.subscribe((s) => signals.push(s));
    const outcomes: PutOutcome<number>[] = [];
    const resharding = (async () => {
      await new Promise((r) => setTimeout(r, 2000));
      await client.send(new UpdateShardCountCommand({ StreamName: stream, TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' }));
      await new Promise((r) => setTimeout(r, 2000));
      await client.send(new UpdateShardCountCommand({ StreamName: stream, TargetShardCount: 3, ScalingType: 'UNIFORM_SCALING' }));
    })();
    await new Promise<void>((resolve, reject) =>
      interval(10)
        .pipe(
          take(VALUES / PER_TICK),
          mergeMap((tick) => range(tick * PER_TICK, PER_TICK)),
          producer.put((n) => ({ partitionKey: `device-${n % 997}-${n}`, data: `value ${n}` })),
        )
        .subscribe({ next: (o) => outcomes.push(o), error: reject, complete: resolve }),
    );
    await resharding;
    await producer.close();

    assert.is(outcomes.length, VALUES, 'one outcome per value');
    assert.is(new Set(outcomes.map((o) => o.value)).size, VALUES);
    const failed = outcomes.filter((o) => !o.ok);
    assert.is(failed.length, 0, JSON.stringify(failed.slice(0, 2)));

    const shards = await listAllShards(client, { streamName: stream });
    const open = shards.filter((s) => s.SequenceNumberRange?.EndingSequenceNumber === undefined);
    assert.is(open.length, 3);
    const range_ = new Map(shards.map((s) => [s.ShardId!, [BigInt(s.HashKeyRange!.StartingHashKey!), BigInt(s.HashKeyRange!.EndingHashKey!)]]));
    // What a consumer (KCL) sees: plain records, and the sub-records of aggregates that lie in the shard's range.
    const readOn = new Map<number, string[]>();
    let droppedByConsumers = 0;
    for (const [shardId, records] of await readBack(client, stream)) {
      const [lo, hi] = range_.get(shardId)!;
      for (const r of records) {
        const subs = isAggregate(r.Data!) ? decodeAggregate(r.Data!) : [{ partitionKey: r.PartitionKey!, data: r.Data! }];
        for (const sub of subs) {
          const h = md5(sub.partitionKey);
          if (subs.length > 1 && (h < lo || h > hi)) {
            droppedByConsumers++;
            continue;
          }
          const n = Number(new TextDecoder().decode(sub.data).split(' ')[1]);
          readOn.set(n, [...(readOn.get(n) ?? []), shardId]);
        }
      }
    }
    let duplicates = 0;
    for (const o of outcomes) {
      const where = readOn.get(o.value) ?? [];
      assert.ok(o.ok && where.includes(o.shardId), `value ${o.value}: outcome ${o.ok && o.shardId}, read on ${where.join(',') || 'nothing'}`);
      duplicates += Math.max(0, where.length - 1);
    }
    const refreshes = signals.filter((s) => s.type === 'shardMapRefreshed');
    assert.ok(refreshes.length >= 2, `${refreshes.length} shard-map refreshes`);
    console.log(`  aggregation ${aggregation ? 'on' : 'off'}: ${VALUES} values, ${duplicates} duplicates read, ${droppedByConsumers} sub-records outside their shard (resent), ${refreshes.length} map refreshes`);
  });
}

reshard.run();
