import { writeUtf8 } from './utf8';
import { writeVarint } from './varint';

/**
 * One of the two string tables of an aggregate (partition keys, explicit hash keys): each distinct key is
 * stored once and records refer to it by index. Internal to the builder.
 */
export interface KeyTable {
  /** Distinct keys so far. */
  readonly count: number;
  /** Index of `key`, or `count` (the index it would get) when it is not in the table yet. */
  indexOf(key: string): number;
  /** Appends `key`, which is not in the table yet and is `byteLength` bytes long in UTF-8. */
  add(key: string, byteLength: number): void;
  /** Writes every key as a length-delimited field with `tag` at `pos`; returns the position after. */
  write(out: Uint8Array, pos: number, tag: number): number;
  clear(): void;
}

/**
 * Creates an empty {@link KeyTable}. Keys stay strings until `write`, which encodes each one once,
 * straight into the aggregate: no intermediate `Uint8Array` per key.
 *
 * @example
 * ```ts
 * const table = createKeyTable();
 * table.indexOf('user-1'); // 0: the index it would get
 * table.add('user-1', 6);
 * table.indexOf('user-2'); // 1
 * ```
 */
export function createKeyTable(): KeyTable {
  const indexes = new Map<string, number>();
  const keys: string[] = [];
  const byteLengths: number[] = [];

  return {
    get count() {
      return keys.length;
    },
    indexOf(key) {
      return indexes.get(key) ?? keys.length;
    },
    add(key, byteLength) {
      indexes.set(key, keys.length);
      keys.push(key);
      byteLengths.push(byteLength);
    },
    write(out, pos, tag) {
      for (let i = 0; i < keys.length; i++) {
        out[pos++] = tag;
        pos = writeVarint(out, pos, byteLengths[i]);
        pos = writeUtf8(keys[i], out, pos);
      }
      return pos;
    },
    clear() {
      indexes.clear();
      keys.length = 0;
      byteLengths.length = 0;
    },
  };
}
