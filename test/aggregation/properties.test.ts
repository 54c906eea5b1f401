import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createAggregateBuilder, decodeAggregate, encodeAggregate, type AggregationInput } from '../../src/aggregation/index.js';
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
      const wellFormed = (s: string) => new TextDecoder().decode(new TextEncoder().encode(s));
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
