import { createHash } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decimalToHashKey, hashKeyToDecimal, isValidExplicitHashKey, partitionKeyHash } from '../../src/kinesis/hash.js';
import { createShardMap } from '../../src/kinesis/shard-map.js';
import { evenShards } from '../helpers/scripted-client.js';

const hash = suite('partitionKeyHash');
hash('equals MD5 of the UTF-8 bytes, for ASCII, accents, CJK and astral characters', () => {
  for (const key of ['device-1', 'héllo', '日本語', '😀 key', 'a'.repeat(256)]) {
    assert.is(partitionKeyHash(key), createHash('md5').update(key, 'utf8').digest('hex'), key);
    assert.is(partitionKeyHash(key), createHash('md5').update(key, 'utf8').digest('hex'), `${key} (cached)`);
  }
});
hash('decimal and hex forms round-trip and order like numbers', () => {
  const max = ((1n << 128n) - 1n).toString();
  assert.is(hashKeyToDecimal(decimalToHashKey(max)), max);
  assert.is(decimalToHashKey('0'), '0'.repeat(32));
  assert.ok(decimalToHashKey('9') < decimalToHashKey('10'));
  assert.ok(isValidExplicitHashKey(max));
  assert.not.ok(isValidExplicitHashKey('1'.repeat(40)));
  assert.not.ok(isValidExplicitHashKey('1.5'));
  assert.not.ok(isValidExplicitHashKey(''));
});
hash.run();

const map = suite('createShardMap');
map('routes every hash key to the shard whose range holds it, skipping closed shards', () => {
  const shards = evenShards(4);
  const closed = { ...shards[0], ShardId: 'shardId-closed', SequenceNumberRange: { StartingSequenceNumber: '1', EndingSequenceNumber: '9' } };
  const m = createShardMap([closed, ...shards].reverse());
  assert.is(m.shards.length, 4);
  for (let i = 0; i < 2000; i++) {
    const key = `k${i}`;
    const h = BigInt(`0x${partitionKeyHash(key)}`);
    const expected = shards.find((s) => BigInt(s.HashKeyRange!.StartingHashKey!) <= h && h <= BigInt(s.HashKeyRange!.EndingHashKey!))!;
    assert.is(m.shardFor(partitionKeyHash(key))?.shardId, expected.ShardId, key);
  }
  assert.is(m.shardFor(decimalToHashKey('0'))?.shardId, shards[0].ShardId);
  assert.is(m.shardFor(decimalToHashKey(((1n << 128n) - 1n).toString()))?.shardId, shards[3].ShardId);
});
map('a gap in the map (mid-reshard) routes nowhere', () => {
  const m = createShardMap(evenShards(4).filter((_, i) => i !== 1));
  assert.is(m.shardFor(decimalToHashKey(((1n << 128n) / 4n + 5n).toString())), undefined);
});
map.run();
