import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createAggregateBuilder, encodeAggregate, type AggregationInput } from '../../src/kpl/index.js';
import { aggregateAll, asAwsSeesThem, awsDeaggregate, plain } from './helpers.js';

const bytesOf = (text: string) => new TextEncoder().encode(text);

const mixed: AggregationInput[] = [
  { partitionKey: 'user-1', data: bytesOf('{"n":1}') },
  { partitionKey: 'user-2', explicitHashKey: '170141183460469231731687303715884105728', data: bytesOf('{"n":2}') },
  { partitionKey: 'user-1', data: new Uint8Array(0) },
  { partitionKey: 'clé-é€😀', explicitHashKey: '0', data: Uint8Array.of(0, 255, 128) },
  { partitionKey: 'user-3', explicitHashKey: '170141183460469231731687303715884105728', data: new Uint8Array(300).fill(7) },
];

const awsReads = suite('aws-kinesis-agg deaggregateSync reads our aggregates');
awsReads('keys, hash keys, data and order survive (checksums verified)', () => {
  assert.equal(awsDeaggregate(encodeAggregate(mixed)), asAwsSeesThem(mixed));
});
awsReads('records with no explicit hash key come back without one when no record has one', () => {
  const records = mixed.map(({ partitionKey, data }) => ({ partitionKey, data }));
  const decoded = awsDeaggregate(encodeAggregate(records));
  assert.equal(decoded, records.map(plain));
  assert.ok(decoded.every((r) => !('explicitHashKey' in r)));
});
awsReads('an empty aggregate decodes to no record', () => {
  assert.equal(awsDeaggregate(encodeAggregate([])), []);
});
awsReads.run();

const awsCuts = suite('aws-kinesis-agg reads every aggregate a size-limited builder cuts');
awsCuts('1,000 records over 40 keys, cut at 4 KiB', () => {
  const records = Array.from({ length: 1000 }, (_, i) => ({
    partitionKey: `key-${(i * 7) % 40}`,
    data: new Uint8Array(i % 90).fill(i & 0xff),
  }));
  const built = aggregateAll(records, { maxBytes: 4096, maxCount: 1000 });
  assert.ok(built.length > 10, `expected many aggregates, got ${built.length}`);
  assert.equal(built.flatMap((b) => awsDeaggregate(b.bytes)), records.map(plain));
});
awsCuts.run();

const largeIndexes = suite('aws-kinesis-agg reads multi-byte indexes and lengths');
largeIndexes('300 distinct keys and hash keys, 20 KB data', () => {
  const builder = createAggregateBuilder({ maxBytes: Infinity, maxCount: Infinity });
  const records = Array.from({ length: 300 }, (_, i) => ({
    partitionKey: `k${i}`,
    explicitHashKey: String(BigInt(i) * 10n ** 30n),
    data: new Uint8Array(i === 299 ? 20_000 : 1).fill(i & 0xff),
  }));
  for (const r of records) assert.ok(builder.tryAdd(r));
  assert.equal(awsDeaggregate(builder.build()), records.map(plain));
});
largeIndexes.run();
