import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { addKey, clearKeys, createKeyTable, findKey, indexInTable, writeKeys, type KeyTable } from '../../src/kpl/key-table.js';

/** Puts `keys` into the table as one aggregate would, and returns what it writes. */
function aggregate(table: KeyTable, keys: string[]): string[] {
  for (const key of keys) {
    const slot = findKey(table, key);
    if (indexInTable(table, slot) < 0) addKey(table, slot);
  }
  const out = new Uint8Array(keys.join('').length * 4 + keys.length * 8);
  const end = writeKeys(table, out, 0, 0x0a);
  const written: string[] = [];
  for (let pos = 0; pos < end; ) {
    assert.is(out[pos++], 0x0a);
    const length = out[pos++]; // keys here are shorter than 128 bytes: a one-byte varint
    written.push(new TextDecoder().decode(out.subarray(pos, pos + length)));
    pos += length;
  }
  clearKeys(table);
  return written;
}

const table = suite('KPL key table: remembers the keys in use, bounded');

table('a key used in every aggregate is measured once, however many other keys pass through', () => {
  const t = createKeyTable(100);
  const hot = findKey(t, 'hot-key');
  for (let round = 0; round < 50; round++) {
    const cold = Array.from({ length: 60 }, (_, i) => `cold-${round}-${i}`);
    assert.equal(aggregate(t, ['hot-key', ...cold, 'hot-key']), ['hot-key', ...cold]);
    assert.is(findKey(t, 'hot-key'), hot, `round ${round}: the same slot`);
    clearKeys(t);
  }
});

table('memory stays within two generations of keys when keys never repeat', () => {
  const t = createKeyTable(100);
  for (let round = 0; round < 200; round++) {
    aggregate(t, Array.from({ length: 30 }, (_, i) => `once-${round}-${i}`));
    assert.ok(t.slots.size + t.older.size <= 2 * (100 + 30), `round ${round}: ${t.slots.size} + ${t.older.size}`);
  }
});

table('a key forgotten for two generations is measured again and written right', () => {
  const t = createKeyTable(10);
  const first = findKey(t, 'ünï');
  assert.is(first.byteLength, 5);
  for (let round = 0; round < 3; round++) aggregate(t, Array.from({ length: 11 }, (_, i) => `k${round}-${i}`));
  const again = findKey(t, 'ünï');
  assert.is.not(again, first, 'forgotten after two generations without it');
  clearKeys(t);
  assert.equal(aggregate(t, ['ünï', 'a', 'ünï']), ['ünï', 'a']);
});

table.run();
