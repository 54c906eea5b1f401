import { createHash } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AggregateFormatError, decodeAggregate, encodeAggregate, isAggregate } from '../../src/kpl/index.js';
import { ProtoAggregatedRecord, hex, plain } from './helpers.js';

const MAGIC = [0xf3, 0x89, 0x9a, 0xc2];
/** Frames a hand-made protobuf body as an aggregate with a correct MD5. */
const frame = (body: ArrayLike<number>) => {
  const bytes = Uint8Array.from(body);
  return Uint8Array.from([...MAGIC, ...bytes, ...createHash('md5').update(bytes).digest()]);
};
const rejects = (bytes: Uint8Array, pattern: RegExp) =>
  assert.throws(() => decodeAggregate(bytes), (e: unknown) => e instanceof AggregateFormatError && pattern.test((e as Error).message));
// Field 1 'k' (partition key table), then one record { partition_key_index 0, data [7] }.
const KEY_K = [0x0a, 0x01, 0x6b];
const RECORD_0 = [0x1a, 0x05, 0x08, 0x00, 0x1a, 0x01, 0x07];

const detect = suite('isAggregate');
detect('true for an aggregate, even an empty one', () => {
  assert.ok(isAggregate(encodeAggregate([])));
  assert.ok(isAggregate(encodeAggregate([{ partitionKey: 'k', data: Uint8Array.of(1) }])));
});
detect('false for plain data, for the magic alone, and for 19 bytes behind the magic', () => {
  assert.not.ok(isAggregate(new TextEncoder().encode('{"plain":"json record"}')));
  assert.not.ok(isAggregate(Uint8Array.from(MAGIC)));
  assert.not.ok(isAggregate(Uint8Array.from([...MAGIC, ...new Uint8Array(15)])));
  assert.not.ok(isAggregate(new Uint8Array(0)));
});
detect.run();

const wire = suite('decodeAggregate reads any valid encoding of the message');
wire('records before the tables', () => {
  assert.equal(decodeAggregate(frame([...RECORD_0, ...KEY_K])).map(plain), [{ partitionKey: 'k', data: '07' }]);
});
wire('tags and unknown fields of every wire type are skipped', () => {
  const body = ProtoAggregatedRecord.encode(
    ProtoAggregatedRecord.fromObject({
      partition_key_table: ['k'],
      records: [{ partition_key_index: 0, data: Uint8Array.of(7), tags: [{ key: 't', value: 'v' }] }],
    }),
  ).finish();
  // Unknown field 9 as varint, field 10 as fixed64, field 11 as fixed32, field 12 length-delimited.
  const unknown = [0x48, 0x96, 0x01, 0x51, ...new Uint8Array(8), 0x5d, ...new Uint8Array(4), 0x62, 0x02, 0x00, 0x00];
  assert.equal(decodeAggregate(frame([...unknown, ...body])).map(plain), [{ partitionKey: 'k', data: '07' }]);
  // Inside a record: unknown field 9 (varint 1) between the index and the data.
  const recordWithUnknown = [0x1a, 0x07, 0x08, 0x00, 0x48, 0x01, 0x1a, 0x01, 0x07];
  assert.equal(decodeAggregate(frame([...KEY_K, ...recordWithUnknown])).map(plain), [{ partitionKey: 'k', data: '07' }]);
});
wire('a leading U+FEFF in a key is kept', () => {
  const [record] = decodeAggregate(encodeAggregate([{ partitionKey: '\uFEFFkey', data: Uint8Array.of(1) }]));
  assert.is(record.partitionKey, '\uFEFFkey');
});
wire('data are views into the input, not copies', () => {
  const bytes = encodeAggregate([{ partitionKey: 'k', data: Uint8Array.of(1, 2, 3) }]);
  const [record] = decodeAggregate(bytes);
  assert.is(record.data.buffer, bytes.buffer);
  assert.is(hex(bytes.subarray(record.data.byteOffset, record.data.byteOffset + 3)), '010203');
});
wire.run();

const malformed = suite('decodeAggregate rejects malformed aggregates with AggregateFormatError');
malformed('no magic prefix', () => rejects(new TextEncoder().encode('just a plain record, long enough'), /magic/));
malformed('an index outside the partition key table, also one that would wrap at 2^32', () => {
  rejects(frame([...KEY_K, 0x1a, 0x05, 0x08, 0x01, 0x1a, 0x01, 0x07]), /partition key 1 of 1/);
  rejects(frame([...KEY_K, 0x1a, 0x09, 0x08, 0x80, 0x80, 0x80, 0x80, 0x10, 0x1a, 0x01, 0x07]), /partition key 4294967296 of 1/);
});
malformed('an explicit hash key index with no hash key table', () => {
  rejects(frame([...KEY_K, 0x1a, 0x07, 0x08, 0x00, 0x10, 0x00, 0x1a, 0x01, 0x07]), /hash key 0 of 0/);
});
malformed('a record without partition_key_index or without data', () => {
  rejects(frame([...KEY_K, 0x1a, 0x03, 0x1a, 0x01, 0x07]), /lacks/);
  rejects(frame([...KEY_K, 0x1a, 0x02, 0x08, 0x00]), /lacks/);
});
malformed('a length running past its message, a truncated varint, an over-long varint', () => {
  rejects(frame([...KEY_K, 0x1a, 0x05, 0x08, 0x00, 0x1a, 0x09, 0x07]), /runs past/);
  rejects(frame([0x1a, 0x80]), /truncated/);
  rejects(frame([0x48, ...new Array(10).fill(0xff), 0x01]), /truncated/);
});
malformed('a known field with the wrong wire type, and groups', () => {
  rejects(frame([0x08, 0x01]), /partition_key_table has wire type 0/);
  rejects(frame([...KEY_K, 0x1a, 0x02, 0x0a, 0x00]), /partition_key_index has wire type 2/);
  rejects(frame([0x4b]), /wire type 3/);
});
malformed.run();
