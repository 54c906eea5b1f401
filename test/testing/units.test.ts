import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createBudgets } from '../../src/testing/budget.js';
import { createRandom } from '../../src/testing/prng.js';
import { hashKeyOf, shardForHash, type ShardMap } from '../../src/testing/shard-map.js';
import { createSlidingWindowMax } from '../../src/testing/sliding-window.js';
import { base64Bytes, parsePut, validatePut } from '../../src/testing/validate.js';

const MiB = 1024 * 1024;

const window = suite('sliding 1-second window maximum');
window('matches a brute-force scan over random acceptance times', () => {
  const random = createRandom(1);
  const events: Array<[number, number, number]> = [];
  for (let t = 0; t < 20_000; t += random() * 40) events.push([t, Math.floor(random() * 50), Math.floor(random() * 5000)]);
  const max = createSlidingWindowMax(1000);
  for (const [t, records, bytes] of events) max.add(t, records, bytes);
  let bruteRecords = 0;
  let bruteBytes = 0;
  for (const [end] of events) {
    const inside = events.filter(([t]) => t > end - 1000 && t <= end);
    bruteRecords = Math.max(bruteRecords, inside.reduce((n, e) => n + e[1], 0));
    bruteBytes = Math.max(bruteBytes, inside.reduce((n, e) => n + e[2], 0));
  }
  assert.is(max.maxRecords, bruteRecords);
  assert.is(max.maxBytes, bruteBytes);
});
window('an acceptance exactly one window later starts a new window', () => {
  const max = createSlidingWindowMax(1000);
  max.add(0, 10, 0);
  max.add(1000, 10, 0);
  assert.is(max.maxRecords, 10);
  max.add(1999, 1, 0);
  assert.is(max.maxRecords, 11);
});
window.run();

const budget = suite('per-shard token buckets');
budget('a fresh shard takes a one-second burst of 1000 records, then 1 record per millisecond', () => {
  const budgets = createBudgets(true);
  let taken = 0;
  while (budgets.take('s', 'shard', 1, 0)) taken++;
  assert.is(taken, 1000);
  assert.not.ok(budgets.take('s', 'shard', 1, 0.5));
  assert.ok(budgets.take('s', 'shard', 1, 1));
  assert.not.ok(budgets.take('s', 'shard', 1, 1));
  // Refill stops at capacity: after 10 idle seconds, still one second's worth.
  taken = 0;
  while (budgets.take('s', 'shard', 1, 10_000)) taken++;
  assert.is(taken, 1000);
});
budget('bytes: 1 MiB of burst, 1 MiB/s refill, per shard and per stream', () => {
  const budgets = createBudgets(true);
  assert.ok(budgets.take('s', 'a', MiB, 0));
  assert.not.ok(budgets.take('s', 'a', 1, 0));
  assert.ok(budgets.take('s', 'b', MiB, 0), 'another shard has its own budget');
  assert.ok(budgets.take('t', 'a', MiB, 0), 'the same shard id of another stream too');
  assert.not.ok(budgets.take('s', 'a', MiB / 2, 499));
  assert.ok(budgets.take('s', 'a', MiB / 2, 500));
});
budget('a shard capacity fraction scales rate and burst; limits off takes everything', () => {
  const budgets = createBudgets(true);
  budgets.setCapacity('a', 0.25, 's');
  let taken = 0;
  while (budgets.take('s', 'a', 1, 0)) taken++;
  assert.is(taken, 250);
  assert.ok(budgets.take('s', 'a', 1, 4), '0.25 records per millisecond');
  assert.throws(() => budgets.setCapacity('a', 2));
  const unlimited = createBudgets(false);
  for (let i = 0; i < 5000; i++) assert.ok(unlimited.take('s', 'a', MiB, 0));
});
budget.run();

const routing = suite('hash keys and request checks');
routing('MD5 of the UTF-8 key, big-endian, picks the shard whose range holds it', () => {
  assert.is(hashKeyOf(''), 0xd41d8cd98f00b204e9800998ecf8427en);
  const half = 1n << 127n;
  const map: ShardMap = { streamName: 's', byKey: new Map(), shards: [{ shardId: 'low', start: 0n, end: half - 1n }, { shardId: 'high', start: half, end: (1n << 128n) - 1n }] };
  assert.is(shardForHash(map, half - 1n)?.shardId, 'low');
  assert.is(shardForHash(map, half)?.shardId, 'high');
  assert.is(shardForHash(map, hashKeyOf('é'))?.shardId, hashKeyOf('é') < half ? 'low' : 'high');
});
routing('base64 sizes are counted without decoding', () => {
  for (let n = 0; n < 20; n++) assert.is(base64Bytes(Buffer.alloc(n, 7).toString('base64')), n);
});
routing('the byte limit counts partition key UTF-8 bytes plus data bytes', () => {
  const body = (key: string, dataBytes: number) => Buffer.from(JSON.stringify({ StreamName: 's', Records: [{ PartitionKey: key, Data: Buffer.alloc(dataBytes).toString('base64') }] }));
  const limits = { maxRequestBytes: 100, maxRecordBytes: 100 };
  assert.is(validatePut(parsePut(body('é', 98), true)!, limits, true), undefined);
  assert.is(validatePut(parsePut(body('é', 99), true)!, limits, true)?.type, 'ValidationException');
  assert.is(parsePut(Buffer.from('not json'), true), undefined, 'left for kinesalite to answer');
  assert.is(parsePut(Buffer.from(JSON.stringify({ StreamARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/named', Records: [{ PartitionKey: 'k', Data: '' }] })), true)?.streamName, 'named');
});
routing.run();
