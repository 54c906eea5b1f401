import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AggregateFormatError, decodeAggregate, encodeAggregate } from '../../src/kpl/index.js';
import { awsDeaggregate, hex } from './helpers.js';

const original = encodeAggregate([
  { partitionKey: 'a', explicitHashKey: '99', data: new TextEncoder().encode('hello') },
  { partitionKey: 'b', data: Uint8Array.of(1, 2, 3) },
]);
const flipped = (at: number) => {
  const copy = original.slice();
  copy[at] ^= 0x01;
  return copy;
};
const isChecksumError = (e: unknown) => e instanceof AggregateFormatError && e.name === 'AggregateFormatError' && /checksum/i.test(e.message);
// A byte inside the first record's data ('hello'), so the flip still parses as valid protobuf.
const dataByte = original.indexOf('h'.charCodeAt(0));

const verify = suite('checksum: a flipped byte is caught');
verify('a flipped data byte fails with verifyChecksum: true', () => {
  assert.throws(() => decodeAggregate(flipped(dataByte), { verifyChecksum: true }), isChecksumError);
});
verify('verification is on by default', () => {
  assert.throws(() => decodeAggregate(flipped(dataByte)), isChecksumError);
});
verify('any flipped byte after the magic prefix fails, in the message or in the trailer', () => {
  for (let at = 4; at < original.length; at++) {
    assert.throws(() => decodeAggregate(flipped(at), { verifyChecksum: true }), isChecksumError, `byte ${at}`);
  }
});
verify('aws-kinesis-agg rejects the same flipped aggregate', () => {
  assert.throws(() => awsDeaggregate(flipped(dataByte)), /checksum/i);
});
verify.run();

const skip = suite('checksum: verifyChecksum: false trusts the bytes');
skip('a flipped data byte decodes, flipped', () => {
  const [first] = decodeAggregate(flipped(dataByte), { verifyChecksum: false });
  assert.is(new TextDecoder().decode(first.data), 'iello');
  assert.is.not(hex(first.data), hex(new TextEncoder().encode('hello')));
});
skip.run();
