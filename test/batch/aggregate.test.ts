import fc from 'fast-check';
import { Subject, from } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createShardAggregator, membersOf } from '../../src/batch/aggregate.js';
import { decodeAggregate, isAggregate } from '../../src/kpl/index.js';
import { encodeRecord, isFailure } from '../../src/records/encode.js';
import { partitionKeyHash } from '../../src/kinesis/hash.js';
import { createProducer } from '../../src/producer/create-producer.js';
import { routeRecord, type RoutedRecord } from '../../src/records/route.js';
import { createShardMap } from '../../src/kinesis/shard-map.js';
import type { PutOutcome } from '../../src/records/outcome.js';
import { evenShards, ok, scriptedClient, serviceError } from '../helpers/scripted-client.js';
import { createVirtualTime } from '../helpers/virtual-time.js';

const utf8 = new TextEncoder();

function routed(key: string, data: Uint8Array, shards = 4): RoutedRecord<string> {
  const r = encodeRecord(key, () => ({ partitionKey: key, data }), 10 * 1024 * 1024, 0);
  if (isFailure(r) || !routeRecord(r, createShardMap(evenShards(shards)))) throw new Error('unroutable');
  return r as RoutedRecord<string>;
}

const cut = suite('createShardAggregator');
cut('aggregates stay within their byte limit and the record limit with their key; batches within 500 and the byte limit', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 20, unit: 'binary' }), fc.integer({ min: 0, max: 3000 })), { minLength: 1, maxLength: 300 }),
      fc.integer({ min: 200, max: 20_000 }),
      fc.integer({ min: 2_000, max: 100_000 }),
      (items, maxBytes, maxBatchBytes) => {
        const records = items.map(([key, size]) => routed(key, new Uint8Array(size)));
        const aggregate = createShardAggregator({ maxBytes, maxCount: 50, maxRecordBytes: 1024 * 1024, maxBatchBytes, maxBatchCount: 7 });
        const batches = aggregate('shardId-x', records);
        const all = batches.flatMap((b) => b.entries);
        assert.equal(all.flatMap(membersOf), records, 'every record once, in order');
        for (const b of batches) {
          assert.ok(b.entries.length <= 7);
          assert.ok(b.bytes <= maxBatchBytes || b.entries.length === 1);
        }
        for (const e of all) {
          if (!('records' in e)) continue;
          assert.ok(e.records.length >= 2, 'a one-record aggregate goes as a plain record');
          assert.ok(e.records.length <= 50);
          assert.ok(e.data.length <= maxBytes, `aggregate of ${e.data.length} bytes`);
          assert.is(e.partitionKey, e.records[0].partitionKey);
          assert.equal(decodeAggregate(e.data).map((u) => u.partitionKey), e.records.map((r) => r.partitionKey));
        }
      },
    ),
    { numRuns: 150 },
  );
});
cut('a record too large to aggregate goes alone as a plain record', () => {
  const aggregate = createShardAggregator({ maxBytes: 1000 });
  const [batch] = aggregate('s', [routed('a', new Uint8Array(10)), routed('b', new Uint8Array(5000)), routed('c', new Uint8Array(10))]);
  assert.equal(batch.entries.map((e) => ('records' in e ? 'agg' : e.partitionKey)), ['a', 'b', 'c']);
});
cut.run();

const producer = suite('producer with aggregation (scripted client, virtual time)');
producer('user records share one aggregate per shard, pinned by the first hash key, with subSequenceNumbers', async () => {
  const time = createVirtualTime();
  const shards = evenShards(2);
  const map = createShardMap(shards);
  const { client, puts } = scriptedClient({
    shards,
    onPut: (input) => ({
      FailedRecordCount: 0,
      Records: input.Records!.map((r, i) => ({ ShardId: map.shardFor(BigInt(r.ExplicitHashKey ?? `0x${partitionKeyHash(r.PartitionKey!)}`).toString(16).padStart(32, '0'))!.shardId, SequenceNumber: `${i + 1}` })),
    }),
  });
  const p = createProducer({ client, streamName: 's', scheduler: time.scheduler, rateLimit: false, aggregation: {} });
  const outcomes: PutOutcome<number>[] = [];
  from(Array.from({ length: 200 }, (_, i) => i)).pipe(p.put((v) => ({ partitionKey: `k${v}`, data: `value ${v}` }))).subscribe((o) => outcomes.push(o));
  await time.runAll();
  assert.is(outcomes.length, 200);
  assert.ok(outcomes.every((o) => o.ok && o.subSequenceNumber !== undefined));
  const entries = puts.flatMap((p) => p.Records!);
  assert.is(entries.length, 2, 'one aggregate per shard');
  for (const e of entries) {
    assert.ok(isAggregate(e.Data!));
    const subs = decodeAggregate(e.Data!);
    assert.is(e.PartitionKey, subs[0].partitionKey);
    const shard = map.shardFor(BigInt(e.ExplicitHashKey!).toString(16).padStart(32, '0'))!;
    assert.ok(subs.every((u) => map.shardFor(partitionKeyHash(u.partitionKey))!.shardId === shard.shardId));
  }
  const first = outcomes.find((o) => o.value === 0)!;
  assert.ok(first.ok && typeof first.subSequenceNumber === 'number');
});
producer('a throttled aggregate is unpacked, its records routed again and re-aggregated', async () => {
  const time = createVirtualTime();
  const { client, puts } = scriptedClient({
    onPut: (input, call) =>
      call === 1
        ? { FailedRecordCount: 1, Records: [{ ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded' }] }
        : ok(input),
  });
  const p = createProducer({ client, streamName: 's', scheduler: time.scheduler, rateLimit: false, aggregation: {}, retry: { random: () => 0.5 } });
  const outcomes: PutOutcome<number>[] = [];
  from([1, 2, 3]).pipe(p.put((v) => ({ partitionKey: `k${v}`, data: utf8.encode(`v${v}`) }))).subscribe((o) => outcomes.push(o));
  await time.runAll();
  assert.is(puts.length, 2);
  assert.is(decodeAggregate(puts[1].Records![0].Data!).length, 3);
  assert.ok(outcomes.every((o) => o.ok && o.attempts === 2));
});
producer('an aggregate refused as invalid is unpacked and its records sent alone, so only a bad one could fail', async () => {
  const time = createVirtualTime();
  const magic = (d: Uint8Array) => d[0] === 0xf3 && d[1] === 0x89 && d[2] === 0x9a && d[3] === 0xc2;
  const { client, puts } = scriptedClient({
    onPut: (input) => {
      if (input.Records!.some((e) => magic(e.Data!))) throw serviceError('ValidationException', 400, 'aggregates refused');
      return ok(input);
    },
  });
  const p = createProducer({ client, streamName: 's', scheduler: time.scheduler, rateLimit: false, aggregation: {}, retry: { random: () => 0.5 } });
  const outcomes: PutOutcome<number>[] = [];
  from([1, 2, 3]).pipe(p.put((v) => ({ partitionKey: `k${v}`, data: utf8.encode(`v${v}`) }))).subscribe((o) => outcomes.push(o));
  await time.runAll();
  assert.is(outcomes.length, 3);
  assert.ok(outcomes.every((o) => o.ok && o.subSequenceNumber === undefined), JSON.stringify(outcomes));
  assert.ok(puts.slice(1).every((put) => put.Records!.every((e) => !magic(e.Data!))));
});
producer('a full aggregate goes out at once when its shard is idle; while the shard is busy, records gather until it is idle again', async () => {
  const time = createVirtualTime();
  const answers: ((value: ReturnType<typeof ok>) => void)[] = [];
  const { client, puts } = scriptedClient({ onPut: (input) => new Promise((resolve) => answers.push(() => resolve(ok(input)))) });
  const p = createProducer({ client, streamName: 's', scheduler: time.scheduler, rateLimit: false, lingerMs: 10_000, maxInFlightPerShard: 1, aggregation: { maxBytes: 10_000 } });
  const outcomes: PutOutcome<number>[] = [];
  const input = new Subject<number>();
  input.pipe(p.put((v) => ({ partitionKey: 'k', data: new Uint8Array(999) }))).subscribe((o) => outcomes.push(o));
  // Ten 1,000-byte records fill the 10,000-byte aggregate limit: sent before any linger time passes.
  for (let v = 0; v < 10; v++) input.next(v);
  await time.advance(1);
  assert.is(puts.length, 1, 'sent without lingering');
  // The shard's one request slot is taken: the next aggregate's worth waits.
  for (let v = 10; v < 30; v++) input.next(v);
  await time.advance(1);
  assert.is(puts.length, 1, 'a busy shard gathers');
  answers.shift()!(ok(puts[0]));
  await time.advance(1);
  assert.is(outcomes.length, 10);
  // The slot is free again and what gathered fills whole aggregates: it goes at once, without lingering.
  assert.is(puts.length, 2);
  answers.shift()!(ok(puts[1]));
  input.complete();
  await time.runAll();
  assert.is(outcomes.length, 30);
  assert.ok(outcomes.every((o) => o.ok));
  assert.equal(puts.map((r) => r.Records!.reduce((n, e) => n + (isAggregate(e.Data!) ? decodeAggregate(e.Data!).length : 1), 0)), [10, 20]);
});
producer.run();
