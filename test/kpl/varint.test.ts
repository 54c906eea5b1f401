import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { delimitedSize, readVarint, varintSize, writeVarint } from '../../src/kpl/varint.js';
import { ProtoAggregatedRecord, hex } from './helpers.js';

const varint = suite('varints');
varint('write then read gives the value back, in varintSize bytes, for 0 .. 2^32 - 1', () => {
  fc.assert(
    fc.property(fc.oneof(fc.integer({ min: 0, max: 0xffff_ffff }), fc.constantFrom(0, 127, 128, 16_383, 16_384, 2 ** 21, 2 ** 28 - 1, 2 ** 28)), (value) => {
      const out = new Uint8Array(5);
      const end = writeVarint(out, 0, value);
      assert.is(end, varintSize(value));
      assert.equal(readVarint(out, 0), { value, end });
    }),
  );
});
varint('matches protobufjs for lengths (the delimited size of a string field)', () => {
  for (const length of [0, 1, 127, 128, 300, 16_384]) {
    const bytes = ProtoAggregatedRecord.encode({ partition_key_table: ['x'.repeat(length)] }).finish();
    assert.is(delimitedSize(length), bytes.length);
    const prefix = new Uint8Array(1 + varintSize(length));
    prefix[0] = 0x0a;
    writeVarint(prefix, 1, length);
    assert.is(hex(bytes.subarray(0, prefix.length)), hex(prefix));
  }
});
varint('reads 64-bit values and refuses unterminated or over-long ones', () => {
  assert.equal(readVarint(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01), 0), { value: 2 ** 63, end: 10 });
  assert.is(readVarint(Uint8Array.of(0x80, 0x80), 0), undefined);
  assert.is(readVarint(new Uint8Array(11).fill(0x80), 0), undefined);
});
varint.run();
