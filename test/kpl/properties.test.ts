import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createAggregateBuilder, decodeAggregate, encodeAggregate, type AggregationInput } from '../../src/kpl/index.js';
import { createShardAggregator, membersOf } from '../../src/batch/aggregate.js';
import { encodeRecord, isFailure } from '../../src/records/encode.js';
import { decimalToHashKey, partitionKeyHash } from '../../src/kinesis/hash.js';
import { routeRecord, type RoutedRecord } from '../../src/records/route.js';
import { createShardMap } from '../../src/kinesis/shard-map.js';
import { aggregateAll, asAwsSeesThem, awsDeaggregate, plain } from './helpers.js';

// Keys mixing ASCII, multi-byte and astral characters; a small pool per run so keys repeat and the
// tables deduplicate.
const keyArb = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }),
  fc.constantFrom('a', 'é', '€uro', '😀', 'x'.repeat(200)),
);
const hashKeyArb = fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }).map(String);
const recordsArb = fc
  .record({
    keys: fc.uniqueArray(keyArb, { minLength: 1, maxLength: 8 }),
    hashKeys: fc.uniqueArray(hashKeyArb, { maxLength: 4 }),
  })
  .chain(({ keys, hashKeys }) =>
    fc.array(
      fc.record({
        key: fc.constantFrom(...keys),
        hashKey: hashKeys.length === 0 ? fc.constant(undefined) : fc.option(fc.constantFrom(...hashKeys), { nil: undefined }),
        data: fc.uint8Array({ minLength: 0, maxLength: 2000 }),
      }),
      { maxLength: 40 },
    ),
  )
  .map((rows) =>
    rows.map(({ key, hashKey, data }): AggregationInput =>
      hashKey === undefined ? { partitionKey: key, data } : { partitionKey: key, explicitHashKey: hashKey, data },
    ),
  );
const limitsArb = fc.record({ maxBytes: fc.integer({ min: 1, max: 12_000 }), maxCount: fc.integer({ min: 1, max: 25 }) });
const RUNS = { numRuns: 200 };

const roundTrip = suite('round trip: what goes in comes out, through our decoder and aws-kinesis-agg');
roundTrip('one aggregate of everything', () => {
  fc.assert(
    fc.property(recordsArb, (records) => {
      const bytes = encodeAggregate(records);
      assert.equal(decodeAggregate(bytes, { verifyChecksum: true }).map(plain), records.map(plain));
      assert.equal(awsDeaggregate(bytes), asAwsSeesThem(records));
    }),
    RUNS,
  );
});
roundTrip('aggregates cut at random limits, concatenated in order', () => {
  fc.assert(
    fc.property(recordsArb, limitsArb, (records, limits) => {
      const built = aggregateAll(records, limits);
      assert.equal(built.flatMap((b) => decodeAggregate(b.bytes).map(plain)), records.map(plain));
      assert.equal(built.flatMap((b) => awsDeaggregate(b.bytes)), built.flatMap((b) => asAwsSeesThem(b.records)));
    }),
    RUNS,
  );
});
roundTrip.run();

const exactSize = suite('size is exactly the length build() returns');
exactSize('after every tryAdd, accepted or not', () => {
  fc.assert(
    fc.property(recordsArb, limitsArb, (records, limits) => {
      const builder = createAggregateBuilder(limits);
      for (const record of records) {
        if (!builder.tryAdd(record)) {
          builder.reset();
          assert.ok(builder.tryAdd(record));
        }
        assert.is(builder.build().length, builder.size);
      }
    }),
    RUNS,
  );
});
exactSize('with lone surrogates, which encode as U+FFFD', () => {
  const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
  fc.assert(
    fc.property(fc.array(fc.string({ unit: anyUnit, minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 10 }), (keys) => {
      const records = keys.map((partitionKey) => ({ partitionKey, explicitHashKey: partitionKey, data: Uint8Array.of(1) }));
      const builder = createAggregateBuilder({ maxBytes: Infinity, maxCount: Infinity });
      for (const record of records) builder.tryAdd(record);
      const bytes = builder.build();
      assert.is(bytes.length, builder.size);
      // A leading U+FEFF is part of a key: a default TextDecoder would strip it as a byte order mark.
      const wellFormed = (s: string) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(new TextEncoder().encode(s));
      assert.equal(decodeAggregate(bytes).map((r) => r.partitionKey), keys.map(wellFormed));
    }),
    RUNS,
  );
});
exactSize.run();

const limits = suite('limits: never over maxBytes unless alone, never over maxCount, no early cut');
limits('every aggregate respects both limits; only a lone record may exceed maxBytes', () => {
  fc.assert(
    fc.property(recordsArb, limitsArb, (records, lim) => {
      for (const b of aggregateAll(records, lim)) {
        assert.ok(b.count <= lim.maxCount, `count ${b.count} > maxCount ${lim.maxCount}`);
        assert.ok(b.bytes.length <= lim.maxBytes || b.count === 1, `${b.bytes.length} bytes > ${lim.maxBytes} with ${b.count} records`);
        assert.is(b.count, b.records.length);
      }
    }),
    RUNS,
  );
});
limits('an aggregate is cut only when the next record would break a limit', () => {
  fc.assert(
    fc.property(recordsArb, limitsArb, (records, lim) => {
      const built = aggregateAll(records, lim);
      for (let i = 0; i + 1 < built.length; i++) {
        const withNext = encodeAggregate([...built[i].records, built[i + 1].records[0]]);
        assert.ok(built[i].count === lim.maxCount || withNext.length > lim.maxBytes, 'cut although the next record fitted');
      }
    }),
    RUNS,
  );
});
limits.run();

/** 1 to 8 open shards over the whole hash key space, cut at random points. */
const shardsArb = fc.uniqueArray(fc.bigInt({ min: 1n, max: 2n ** 128n - 1n }), { maxLength: 7 }).map((cuts) => {
  const starts = [0n, ...cuts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))];
  return starts.map((start, i) => ({
    ShardId: `shardId-${String(i).padStart(12, '0')}`,
    HashKeyRange: { StartingHashKey: start.toString(), EndingHashKey: ((starts[i + 1] ?? 2n ** 128n) - 1n).toString() },
    SequenceNumberRange: { StartingSequenceNumber: '1' },
  }));
});
const batchLimitsArb = fc.record({
  maxBytes: fc.integer({ min: 1, max: 12_000 }),
  maxCount: fc.integer({ min: 1, max: 25 }),
  maxRecordBytes: fc.integer({ min: 4200, max: 20_000 }),
  maxBatchCount: fc.integer({ min: 1, max: 10 }),
  maxBatchBytes: fc.integer({ min: 20_000, max: 60_000 }),
});

const shards = suite('routed and aggregated per shard: every sub-record belongs to the shard its aggregate goes to');
shards('random keys, explicit hash keys, shard maps and limits', () => {
  fc.assert(
    fc.property(recordsArb, shardsArb, batchLimitsArb, (inputs, listed, lim) => {
      const map = createShardMap(listed);
      const byShard = new Map<string, RoutedRecord<number>[]>();
      inputs.forEach((input, i) => {
        const record = encodeRecord(i, () => input, lim.maxRecordBytes, 0);
        if (isFailure(record)) return; // a record over maxRecordBytes: not this property's concern
        assert.ok(routeRecord(record, map), 'the map covers every hash key');
        const list = byShard.get(record.shardId) ?? [];
        list.push(record);
        byShard.set(record.shardId, list);
      });
      const aggregate = createShardAggregator(lim);
      for (const [shardId, records] of byShard) {
        const { start, end } = map.shards.find((s) => s.shardId === shardId)!;
        const inShard = (hashKey: string) => start <= hashKey && hashKey <= end;
        const sent: number[] = [];
        for (const batch of aggregate(shardId, records)) {
          assert.is(batch.shardId, shardId);
          assert.ok(batch.entries.length <= lim.maxBatchCount && batch.bytes <= Math.max(lim.maxBatchBytes, batch.entries[0].size));
          for (const entry of batch.entries) {
            assert.ok(entry.size <= lim.maxRecordBytes || membersOf(entry).length === 1, `entry of ${entry.size} bytes`);
            if (!('records' in entry)) {
              sent.push(entry.value);
              continue;
            }
            // The outer explicit hash key pins the aggregate to the shard; each sub-record's own hash key is there too.
            assert.ok(inShard(decimalToHashKey(entry.explicitHashKey!)), 'aggregate pinned to its shard');
            assert.is(entry.partitionKey, entry.records[0].partitionKey);
            for (const sub of decodeAggregate(entry.data)) {
              const hashKey = sub.explicitHashKey === undefined ? partitionKeyHash(sub.partitionKey) : decimalToHashKey(sub.explicitHashKey);
              assert.ok(inShard(hashKey), `sub-record ${JSON.stringify(sub.partitionKey)} outside ${shardId}`);
            }
            sent.push(...entry.records.map((r) => r.value));
          }
        }
        assert.equal(sent, records.map((r) => r.value), 'every record of the shard once, in order');
      }
    }),
    RUNS,
  );
});
shards.run();
