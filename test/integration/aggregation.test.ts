import { createHash } from 'node:crypto';
import { from } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ProtoAggregatedRecord, awsDeaggregate, hex } from '../kpl/helpers.js';
import { AGGREGATE_CHECKSUM_BYTES, AGGREGATE_MAGIC_BYTES } from '../../src/kpl/index.js';
import { createProducer } from '../../src/producer/create-producer.js';
import { listAllShards } from '../../src/kinesis/shard-map.js';
import { startLocalKinesis, type LocalKinesis } from '../../src/testing/index.js';
import type { PutOutcome } from '../../src/records/outcome.js';
import { readBack } from '../helpers/read-back.js';
import { seededRandom } from '../helpers/random.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const MAGIC = Buffer.from([0xf3, 0x89, 0x9a, 0xc2]);
const isAggregate = (data: Uint8Array) => data.length > MAGIC.length && Buffer.from(data.subarray(0, MAGIC.length)).equals(MAGIC);

/**
 * An independent decode of one aggregate: node:crypto checks the MD5 trailer, protobufjs with the
 * format's .proto decodes the message, and re-encoding it must give back the same bytes.
 */
function protobufDecode(data: Uint8Array): { partitionKey: string; data: string }[] {
  const section = data.subarray(AGGREGATE_MAGIC_BYTES, data.length - AGGREGATE_CHECKSUM_BYTES);
  assert.is(hex(createHash('md5').update(section).digest()), hex(data.subarray(data.length - AGGREGATE_CHECKSUM_BYTES)), 'MD5 trailer');
  const message = ProtoAggregatedRecord.decode(section);
  assert.is(hex(ProtoAggregatedRecord.encode(message).finish()), hex(section), 'protobufjs re-encodes the same bytes');
  const m = ProtoAggregatedRecord.toObject(message, { longs: Number, arrays: true }) as {
    partition_key_table: string[];
    records: { partition_key_index: number; data: Uint8Array }[];
  };
  return m.records.map((r) => ({ partitionKey: m.partition_key_table[r.partition_key_index], data: hex(r.data) }));
}

const agg = suite('producer with KPL aggregation against the local Kinesis (limits on)');
let local: LocalKinesis;
agg.before(async () => {
  local = await startLocalKinesis({ limits: true });
});
agg.after(async () => {
  await local?.stop();
});

agg('100,000 values, 1,000 random keys, 4 shards: every record decodes (aws-kinesis-agg and protobufjs agree), the multiset is exact, no sub-record on the wrong shard', async () => {
  await local.createStream('agg', 4);
  const client = local.client();
  const random = seededRandom(11);
  const keys = Array.from({ length: 1000 }, (_, i) => `${Math.floor(random() * 1e9).toString(36)}-ключ-${i}`);
  const values = Array.from({ length: 100_000 }, (_, i) => ({ key: keys[Math.floor(random() * keys.length)], body: `v${i}:${'x'.repeat(Math.floor(random() * 150))}` }));
  const producer = createProducer({ client, streamName: 'agg', aggregation: {} });
  const outcomes: PutOutcome<(typeof values)[number]>[] = [];
  await new Promise<void>((resolve, reject) =>
    from(values)
      .pipe(producer.put((v) => ({ partitionKey: v.key, data: v.body })))
      .subscribe({ next: (o) => outcomes.push(o), error: reject, complete: resolve }),
  );
  await producer.close();
  assert.is(outcomes.length, values.length);
  assert.is(outcomes.filter((o) => !o.ok).length, 0);

  const ranges = new Map(
    (await listAllShards(client, { streamName: 'agg' })).map((s) => [s.ShardId!, [BigInt(s.HashKeyRange!.StartingHashKey!), BigInt(s.HashKeyRange!.EndingHashKey!)]]),
  );
  const expected = new Map<string, number>();
  for (const v of values) expected.set(`${v.key}|${v.body}`, (expected.get(`${v.key}|${v.body}`) ?? 0) + 1);
  const bySequence = new Map(outcomes.map((o) => [o.ok ? `${o.sequenceNumber}/${o.subSequenceNumber ?? -1}` : '', o]));
  let decoded = 0;
  let aggregates = 0;
  for (const [shardId, records] of await readBack(client, 'agg')) {
    const [lo, hi] = ranges.get(shardId)!;
    for (const r of records) {
      const subs = awsDeaggregate(r.Data!, r.PartitionKey);
      const aggregated = isAggregate(r.Data!);
      if (aggregated) {
        aggregates++;
        assert.equal(protobufDecode(r.Data!), subs.map((s) => ({ partitionKey: s.partitionKey, data: s.data })), 'protobufjs and aws-kinesis-agg agree');
        assert.is(r.PartitionKey, subs[0].partitionKey, "the aggregate's partition key is its first record's");
      } else assert.is(subs.length, 1);
      subs.forEach((sub, i) => {
        const body = Buffer.from(sub.data, 'hex').toString();
        const id = `${sub.partitionKey}|${body}`;
        const left = expected.get(id);
        assert.ok(left !== undefined && left > 0, `decoded a record nobody sent or twice: ${id}`);
        expected.set(id, left - 1);
        const hash = BigInt(`0x${createHash('md5').update(sub.partitionKey, 'utf8').digest('hex')}`);
        assert.ok(lo <= hash && hash <= hi, `sub-record ${sub.partitionKey} on ${shardId}`);
        const o = bySequence.get(`${r.SequenceNumber}/${aggregated ? i : -1}`);
        assert.ok(o && o.ok && o.shardId === shardId && `${o.value.key}|${o.value.body}` === id, 'outcome names where the value was read');
        decoded++;
      });
    }
  }
  assert.is(decoded, values.length);
  assert.ok([...expected.values()].every((n) => n === 0));
  assert.ok(aggregates > 0 && aggregates < values.length / 50, `${aggregates} aggregates`);
  const stats = local.stats();
  const throttled = stats.shards.reduce((n, s) => n + s.throttledRecords, 0);
  const accepted = stats.shards.reduce((n, s) => n + s.acceptedRecords, 0);
  assert.ok(throttled <= 0.01 * (accepted + throttled), `throttled ${throttled} of ${accepted + throttled}`);
});

agg.run();
