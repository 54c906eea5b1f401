import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeRecord, isFailure } from '../../src/records/encode.js';
import { partitionKeyHash } from '../../src/kinesis/hash.js';
import type { KinesisRecordInput } from '../../src/records/outcome.js';

const MiB = 1024 * 1024;
const encode = (input: unknown, max = MiB) => encodeRecord('v', () => input as KinesisRecordInput, max, 0);
const reject = (input: unknown, max = MiB) => {
  const out = encode(input, max);
  assert.ok(isFailure(out), 'expected a failed outcome');
  assert.is(out.error.code, 'InvalidRecord');
  assert.is(out.attempts, 0);
  assert.is(out.value, 'v');
  return out.error.message;
};

const valid = suite('encodeRecord: valid records');
valid('a string is sent as UTF-8 and its size counts key + data bytes', () => {
  const out = encode({ partitionKey: 'ké', data: 'héllo' });
  assert.not.ok(isFailure(out));
  if (isFailure(out)) return;
  assert.equal([...out.data], [...new TextEncoder().encode('héllo')]);
  assert.is(out.size, 3 + 6);
  assert.is(out.hashKey, partitionKeyHash('ké'));
});
valid('bytes pass through untouched; an explicit hash key picks the hash', () => {
  const data = new Uint8Array([1, 2, 3]);
  const out = encode({ partitionKey: 'k', data, explicitHashKey: '255' });
  if (isFailure(out)) return assert.unreachable(out.error.message);
  assert.is(out.data, data);
  assert.is(out.hashKey, '000000000000000000000000000000ff');
});
valid('a record exactly at maxRecordBytes passes', () => {
  assert.not.ok(isFailure(encode({ partitionKey: 'k', data: new Uint8Array(99) }, 100)));
});
valid.run();

const rules = suite('encodeRecord: each broken rule names itself and what was found');
rules('empty partition key', () => {
  assert.match(reject({ partitionKey: '', data: 'x' }), /partitionKey must be 1 to 256 characters; got 0 characters/);
});
rules('partition key over 256 characters', () => {
  assert.match(reject({ partitionKey: 'k'.repeat(257), data: 'x' }), /got 257 characters/);
});
rules('partition key that is not a string', () => {
  assert.match(reject({ partitionKey: 42, data: 'x' }), /partitionKey must be a string .* got number/);
});
rules('explicit hash key that is not decimal, negative, or too large', () => {
  assert.match(reject({ partitionKey: 'k', data: 'x', explicitHashKey: 'abc' }), /explicitHashKey must be a decimal integer in 0..2\^128-1 without leading zeros; got "abc"/);
  assert.match(reject({ partitionKey: 'k', data: 'x', explicitHashKey: '-1' }), /got "-1"/);
  const tooBig = (1n << 128n).toString();
  assert.match(reject({ partitionKey: 'k', data: 'x', explicitHashKey: tooBig }), /explicitHashKey/);
  assert.not.ok(isFailure(encode({ partitionKey: 'k', data: 'x', explicitHashKey: ((1n << 128n) - 1n).toString() })));
});
rules("explicit hash key with leading zeros, as the API's pattern 0|([1-9]\\d{0,38}) refuses it", () => {
  assert.match(reject({ partitionKey: 'k', data: 'x', explicitHashKey: '007' }), /without leading zeros; got "007"/);
  assert.match(reject({ partitionKey: 'k', data: 'x', explicitHashKey: '00' }), /got "00"/);
  assert.match(reject({ partitionKey: 'k', data: 'x', explicitHashKey: '' }), /got ""/);
  assert.not.ok(isFailure(encode({ partitionKey: 'k', data: 'x', explicitHashKey: '0' })));
  assert.not.ok(isFailure(encode({ partitionKey: 'k', data: 'x', explicitHashKey: '7' })));
});
rules('data that is neither string nor bytes', () => {
  assert.match(reject({ partitionKey: 'k', data: { a: 1 } }), /data must be a string or a Uint8Array; got an object \(Object\)/);
  assert.match(reject({ partitionKey: 'k', data: 12 }), /got number/);
  assert.match(reject({ partitionKey: 'k', data: undefined }), /got undefined/);
});
rules('record larger than maxRecordBytes names the sizes and the limit', () => {
  assert.match(reject({ partitionKey: 'key', data: new Uint8Array(98) }, 100), /record is 101 bytes \(partition key 3 \+ data 98\); the limit is 100 bytes \(maxRecordBytes\)/);
});
rules('a record function that throws or returns nothing', () => {
  const out = encodeRecord('v', () => {
    throw new Error('boom');
  }, MiB, 0);
  assert.ok(isFailure(out) && /threw: boom/.test(out.error.message));
  assert.match(reject(undefined), /must return \{ partitionKey, data \}; got undefined/);
});
rules.run();

const contained = suite('encodeRecord: whatever the record function or its result does, the value gets InvalidRecord');
contained('a result whose getter throws', () => {
  const input = { data: 'x', get partitionKey(): string { throw new Error('no key today'); } };
  assert.match(reject(input), /reading the record function's result threw: no key today/);
});
contained('a Proxy whose traps throw, or that poses as bytes', () => {
  const trap = () => { throw new TypeError('trap'); };
  assert.match(reject(new Proxy({}, { get: trap })), /threw: trap/);
  assert.match(reject({ partitionKey: 'k', data: new Proxy({}, { getPrototypeOf: trap }) }), /threw: trap/);
  assert.match(reject({ partitionKey: 'k', data: new Proxy(new Uint8Array(3), {}) }), /data must be a string or a Uint8Array/);
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  assert.match(reject(revoked.proxy), /threw|must return/);
});
contained('a record function that throws what String() cannot convert', () => {
  const throws = (thrown: unknown) => encodeRecord('v', () => { throw thrown; }, MiB, 0);
  for (const thrown of [Object.create(null), { toString: () => { throw new Error('no'); } }, Symbol('s'), undefined]) {
    const out = throws(thrown);
    assert.ok(isFailure(out) && out.error.code === 'InvalidRecord' && /the record function threw/.test(out.error.message));
  }
  const withMessage = throws(Object.assign(Object.create(null), { message: 'plain object' }));
  assert.ok(isFailure(withMessage) && /threw: plain object/.test(withMessage.error.message));
});
contained('data whose conversion throws: a toJSON or toString the caller relies on', () => {
  const data = { toJSON() { throw new Error('bad json'); }, toString() { throw new Error('bad string'); } };
  assert.match(reject({ partitionKey: 'k', data }), /data must be a string or a Uint8Array/);
  const out = encodeRecord({ toJSON: () => { throw new Error('bad json'); } }, (v) => ({ partitionKey: 'k', data: JSON.stringify(v) }), MiB, 0);
  assert.ok(isFailure(out) && /threw: bad json/.test(out.error.message));
});
contained.run();

const utf8 = suite('encodeRecord: the size counts the key as UTF-8 bytes, as the service does');
utf8('a lone surrogate is the 3 bytes of U+FFFD, however it is followed', () => {
  for (const key of ['\uD800€', '\uD800', 'a\uDC00b', '\uD83D\uDE00', 'é€😀']) {
    const out = encodeRecord('v', () => ({ partitionKey: key, data: 'x' }), MiB, 0);
    if (isFailure(out)) return assert.unreachable(out.error.message);
    assert.is(out.size, new TextEncoder().encode(key).length + 1, JSON.stringify(key));
  }
});
utf8.run();
