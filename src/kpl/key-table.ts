import { utf8Length, writeUtf8 } from '../utf8/utf8.js';
import { writeVarint } from './varint.js';

/**
 * One of the two string tables of an aggregate (partition keys, explicit hash keys): each distinct key is
 * stored once and records refer to it by index. Internal to the builder; plain data handled by the
 * module-level functions below, so every builder shares one optimised copy of them.
 *
 * It remembers keys across aggregates (their map entry and UTF-8 length): the same keys come back
 * aggregate after aggregate, so each is looked up and measured once, not once per aggregate. Keys are
 * written straight into the aggregate, with no `Uint8Array` per key. Memory stays bounded in two
 * generations: once `slots` holds more than `rememberedKeys`, it becomes `older` (and the older one is
 * dropped) at the next `clearKeys`; a key found in `older` moves back to `slots`. So the keys in use
 * stay, and a key is forgotten only when two generations went by without it.
 */
export interface KeyTable {
  /** Keys seen since the last generation change. */
  slots: Map<string, KeySlot>;
  /** Keys of the generation before. */
  older: Map<string, KeySlot>;
  /** Slots of the current aggregate, by index; entries past `count` are stale. */
  readonly current: KeySlot[];
  count: number;
  /** Number of the current aggregate; a slot whose `generation` differs is not in it. */
  generation: number;
  readonly rememberedKeys: number;
}

/** What the table remembers about one key. */
export interface KeySlot {
  readonly key: string;
  /** Length of `key` in UTF-8, in bytes. */
  readonly byteLength: number;
  generation: number;
  index: number;
}

const NOT_IN_TABLE = -1;

/**
 * Creates an empty table.
 *
 * @example
 * ```ts
 * const table = createKeyTable(2_048);
 * const slot = findKey(table, 'user-1');
 * indexInTable(table, slot); // -1: not in this aggregate yet
 * addKey(table, slot); // 0
 * ```
 */
export function createKeyTable(rememberedKeys: number): KeyTable {
  return { slots: new Map(), older: new Map(), current: [], count: 0, generation: 0, rememberedKeys };
}

/** The slot of `key`, remembered or new; it is in the current aggregate only if `indexInTable` says so. */
export function findKey(table: KeyTable, key: string): KeySlot {
  let slot = table.slots.get(key);
  if (slot === undefined) {
    slot = table.older.get(key) ?? { key, byteLength: utf8Length(key), generation: NOT_IN_TABLE, index: NOT_IN_TABLE };
    table.slots.set(key, slot);
  }
  return slot;
}

/** Index of `slot` in the current aggregate, or -1. */
export function indexInTable(table: KeyTable, slot: KeySlot): number {
  return slot.generation === table.generation ? slot.index : NOT_IN_TABLE;
}

/** Appends `slot` (not in the current aggregate yet) and returns its index. */
export function addKey(table: KeyTable, slot: KeySlot): number {
  slot.generation = table.generation;
  slot.index = table.count;
  table.current[table.count] = slot;
  return table.count++;
}

/** Writes every key as a length-delimited field with `tag` at `pos`; returns the position after. */
export function writeKeys(table: KeyTable, out: Uint8Array, pos: number, tag: number): number {
  for (let i = 0; i < table.count; i++) {
    const { key, byteLength } = table.current[i];
    out[pos++] = tag;
    pos = writeVarint(out, pos, byteLength);
    pos = writeUtf8(key, out, pos);
  }
  return pos;
}

/** Empties the table for the next aggregate. */
export function clearKeys(table: KeyTable): void {
  table.generation++;
  table.count = 0;
  if (table.slots.size > table.rememberedKeys) {
    table.older = table.slots;
    table.slots = new Map();
    table.current.length = 0;
  }
}
