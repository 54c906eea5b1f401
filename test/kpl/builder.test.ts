import { createHash } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  AGGREGATE_OVERHEAD_BYTES,
  DEFAULT_AGGREGATION,
  createAggregateBuilder,
  decodeAggregate,
  type AggregationInput,
} from '../../src/kpl/index.js';
import { hex, plain } from './helpers.js';

const record = (partitionKey: string, dataBytes: number, explicitHashKey?: string): AggregationInput =>
  explicitHashKey === undefined
    ? { partitionKey, data: new Uint8Array(dataBytes).fill(1) }
    : { partitionKey, explicitHashKey, data: new Uint8Array(dataBytes).fill(1) };

const accounting = suite('size accounting per record');
accounting('an empty builder is magic + MD5', () => {
  const builder = createAggregateBuilder();
  assert.is(builder.size, AGGREGATE_OVERHEAD_BYTES);
  assert.is(builder.build().length, AGGREGATE_OVERHEAD_BYTES);
});
accounting('a new key costs a table entry once; a repeated key costs only its record', () => {
  const builder = createAggregateBuilder({ maxBytes: Infinity, maxCount: Infinity });
  builder.tryAdd(record('abc', 10));
  // table entry (1 + 1 + 3) + record (1 + 1 + [1 + 1 + 1 + 1 + 10])
  assert.is(builder.size, AGGREGATE_OVERHEAD_BYTES + 5 + 16);
  builder.tryAdd(record('abc', 10));
  assert.is(builder.size, AGGREGATE_OVERHEAD_BYTES + 5 + 16 + 16);
  builder.tryAdd(record('abc', 10, '7'));
  // hash key entry (1 + 1 + 1) + record with its hash key index (16 + 2)
  assert.is(builder.size, AGGREGATE_OVERHEAD_BYTES + 5 + 16 + 16 + 3 + 18);
  assert.is(builder.build().length, builder.size);
});
accounting('varint boundaries: 127/128-byte data and keys, the 128th key, 16,384-byte data', () => {
  const builder = createAggregateBuilder({ maxBytes: Infinity, maxCount: Infinity });
  const inputs = [record('k', 127), record('k', 128), record('x'.repeat(127), 0), record('y'.repeat(128), 0), record('z', 16_383), record('z', 16_384)];
  for (let i = 0; i < 130; i++) inputs.push(record(`key-${i}`, 1, String(i)));
  for (const input of inputs) {
    assert.ok(builder.tryAdd(input));
    assert.is(builder.build().length, builder.size);
  }
  assert.equal(decodeAggregate(builder.build()).map(plain), inputs.map(plain));
});
accounting.run();

const refusal = suite('tryAdd refuses without changing anything');
refusal('a refused record leaves count, size and bytes as they were', () => {
  const builder = createAggregateBuilder({ maxBytes: 100, maxCount: 10 });
  assert.ok(builder.tryAdd(record('a', 40)));
  const before = { count: builder.count, size: builder.size, bytes: hex(builder.build()) };
  assert.not.ok(builder.tryAdd(record('new-key', 40, '123')));
  assert.equal({ count: builder.count, size: builder.size, bytes: hex(builder.build()) }, before);
  // The refused keys did not sneak into the tables: the next record that fits gets index 1.
  assert.ok(builder.tryAdd(record('b', 1)));
  assert.equal(decodeAggregate(builder.build()).map((r) => r.partitionKey), ['a', 'b']);
});
refusal('the first record is accepted even when bigger than maxBytes; the second is not', () => {
  const builder = createAggregateBuilder({ maxBytes: 50, maxCount: 10 });
  assert.ok(builder.tryAdd(record('a', 1000)));
  assert.ok(builder.size > 50);
  assert.not.ok(builder.tryAdd(record('a', 0)));
  assert.is(builder.count, 1);
});
refusal('maxCount is a hard limit even when bytes are left', () => {
  const builder = createAggregateBuilder({ maxBytes: Infinity, maxCount: 3 });
  assert.equal([1, 2, 3, 4].map(() => builder.tryAdd(record('a', 1))), [true, true, true, false]);
});
refusal('a record that fits exactly to maxBytes is accepted, one byte more is not', () => {
  const probe = createAggregateBuilder({ maxBytes: Infinity, maxCount: Infinity });
  probe.tryAdd(record('a', 10));
  probe.tryAdd(record('a', 20));
  const exact = probe.size;
  const fits = createAggregateBuilder({ maxBytes: exact, maxCount: 10 });
  fits.tryAdd(record('a', 10));
  assert.ok(fits.tryAdd(record('a', 20)));
  const tight = createAggregateBuilder({ maxBytes: exact - 1, maxCount: 10 });
  tight.tryAdd(record('a', 10));
  assert.not.ok(tight.tryAdd(record('a', 20)));
});
refusal.run();

const lifecycle = suite('build and reset');
lifecycle('build() does not reset; building twice gives the same bytes', () => {
  const builder = createAggregateBuilder();
  builder.tryAdd(record('a', 5));
  assert.is(hex(builder.build()), hex(builder.build()));
  assert.is(builder.count, 1);
});
lifecycle('reset() empties the builder; keys start again at index 0', () => {
  const builder = createAggregateBuilder();
  builder.tryAdd(record('a', 5, '1'));
  builder.reset();
  assert.is(builder.count, 0);
  assert.is(builder.size, AGGREGATE_OVERHEAD_BYTES);
  builder.tryAdd(record('b', 5, '2'));
  const fresh = createAggregateBuilder();
  fresh.tryAdd(record('b', 5, '2'));
  assert.is(hex(builder.build()), hex(fresh.build()));
});
lifecycle('thousands of keys over many aggregates (past what the tables remember) stay exact', () => {
  const builder = createAggregateBuilder({ maxBytes: 2_000, maxCount: 1_000 });
  const inputs = Array.from({ length: 6_000 }, (_, i) => record(`key-${(i * 7919) % 5_000}`, i % 17, i % 3 ? undefined : String(i % 2_500)));
  const decoded: ReturnType<typeof plain>[] = [];
  for (const input of inputs) {
    if (!builder.tryAdd(input)) {
      const bytes = builder.build();
      assert.is(bytes.length, builder.size);
      decoded.push(...decodeAggregate(bytes).map(plain));
      builder.reset();
      builder.tryAdd(input);
    }
  }
  decoded.push(...decodeAggregate(builder.build()).map(plain));
  assert.equal(decoded, inputs.map(plain));
});
lifecycle.run();

const options = suite('options');
options('DEFAULT_AGGREGATION is 51,200 bytes and 1,000 records, and is the default', () => {
  assert.equal({ ...DEFAULT_AGGREGATION }, { maxBytes: 51_200, maxCount: 1_000 });
  const builder = createAggregateBuilder();
  let accepted = 0;
  while (builder.tryAdd(record('k', 0))) accepted++;
  assert.is(accepted, 1_000);
});
options('limits must be whole numbers >= 1 or Infinity', () => {
  for (const bad of [0, -1, 1.5, Number.NaN]) {
    assert.throws(() => createAggregateBuilder({ maxBytes: bad, maxCount: 1 }), (e: Error) => e instanceof RangeError && /maxBytes/.test(e.message));
    assert.throws(() => createAggregateBuilder({ maxBytes: 1, maxCount: bad }), (e: Error) => e instanceof RangeError && /maxCount/.test(e.message));
  }
  createAggregateBuilder({ maxBytes: Infinity, maxCount: Infinity });
});
options('an md5 option replaces js-md5 and gives the same trailer as node:crypto', () => {
  const seen: number[] = [];
  const nodeMd5 = (bytes: Uint8Array) => (seen.push(bytes.length), createHash('md5').update(bytes).digest());
  const withNode = createAggregateBuilder({ ...DEFAULT_AGGREGATION, md5: nodeMd5 });
  const withDefault = createAggregateBuilder();
  for (const b of [withNode, withDefault]) b.tryAdd(record('a', 300, '5'));
  assert.is(hex(withNode.build()), hex(withDefault.build()));
  assert.equal(seen, [withNode.size - AGGREGATE_OVERHEAD_BYTES]);
});
options.run();
