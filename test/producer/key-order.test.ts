import { VirtualTimeScheduler } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createKeyOrder } from '../../src/producer/key-order.js';
import type { HeldRecord } from '../../src/producer/holdings.js';

const record = (key: string, n: number, bytes = 10) =>
  ({ partitionKey: key, explicitHashKey: undefined, data: new Uint8Array(bytes), size: key.length + bytes, value: n, attempts: 0, createdAt: 0 }) as unknown as HeldRecord<unknown>;

function setup(aggregate?: { maxBytes: number; maxCount: number }) {
  const scheduler = new VirtualTimeScheduler();
  const released: HeldRecord<unknown>[][] = [];
  const keys = createKeyOrder({ scheduler, aggregate, lingerMs: 100, release: (records) => released.push(records) });
  return { keys, released };
}

test('a key has one value out at a time; the next goes when it is decided; other keys are not held back', () => {
  const { keys, released } = setup();
  const [a0, a1, a2, b0] = [record('a', 0), record('a', 1), record('a', 2), record('b', 0)];
  assert.equal([keys.enter(a0), keys.enter(a1), keys.enter(a2), keys.enter(b0)], [true, false, false, true]);
  assert.equal(keys.totals, { records: 2, bytes: 22 });
  keys.decided(b0);
  assert.is(released.length, 0, 'b had nothing waiting');
  keys.decided(a0);
  assert.equal(released.map((u) => u.map((r) => r.value)), [[1]], 'without aggregation a unit is one value');
  keys.decided(a1);
  assert.equal(released.map((u) => u.map((r) => r.value)), [[1], [2]]);
  keys.decided(a2);
  assert.ok(keys.enter(record('a', 3)), 'the key is free again');
});

test('with aggregation the waiting values go together, as many as surely fit one aggregate, in order', () => {
  const { keys, released } = setup({ maxBytes: 200, maxCount: 3 });
  const first = record('k', 0);
  keys.enter(first);
  const waiting = Array.from({ length: 5 }, (_, i) => record('k', i + 1));
  waiting.forEach((r) => keys.enter(r));
  keys.decided(first);
  assert.equal(released[0].map((r) => r.value), [1, 2, 3], 'maxCount 3');
  assert.ok(released[0].every((r) => r.unit === released[0][0].unit && r.unit!.count === 3));
  assert.ok(released[0][0].unit!.bytes <= 200);
  released[0].slice(0, 2).forEach((r) => keys.decided(r));
  assert.is(released.length, 1, 'the next unit waits for every value of this one');
  keys.decided(released[0][2]);
  assert.equal(released[1].map((r) => r.value), [4, 5]);
});

test('a busy key over 50,000 rounds: its values go one by one in arrival order, and what waits drains in order', () => {
  const { keys, released } = setup();
  let out = record('hot', -1);
  keys.enter(out);
  const sent: number[] = [];
  for (let i = 0; i < 50_000; i++) {
    keys.enter(record('hot', i));
    keys.enter(record('hot', i + 0.5));
    keys.decided(out);
    out = released.at(-1)![0];
    sent.push(out.value as number);
    released.length = 0;
  }
  assert.ok(sent.every((v, i) => i === 0 || v > sent[i - 1]), 'released in arrival order');
  assert.is(keys.totals.records, 50_000, 'one more waits each round');
  keys.decided(out);
  const drained = keys.drain().map((r) => r.value as number);
  assert.is(drained.length, 50_000 - 1);
  assert.ok(drained.every((v, i) => i === 0 || v > drained[i - 1]) && drained[0] > sent.at(-1)!, 'what waits is in arrival order, after what went');
  assert.is(keys.totals.records, 0);
});

test('the wait behind a key grows with what waits for it, and the oldest can be dropped', () => {
  const { keys } = setup();
  keys.enter(record('k', 0));
  const before = keys.waitIfAdded('k', 10);
  keys.enter(record('k', 1));
  keys.enter(record('k', 2));
  assert.ok(keys.waitIfAdded('k', 10) > before);
  assert.is(keys.waitIfAdded('other', 10), 0, 'a key with nothing out waits for nothing');
  assert.is(keys.shiftOldest('k')!.value, 1);
  assert.is(keys.totals.records, 1);
});

test.run();
