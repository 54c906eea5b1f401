import {
  AGGREGATE_MAGIC,
  AGGREGATE_MAGIC_BYTES,
  AGGREGATE_OVERHEAD_BYTES,
  TAG_DATA,
  TAG_EXPLICIT_HASH_KEY_INDEX,
  TAG_EXPLICIT_HASH_KEY_TABLE,
  TAG_PARTITION_KEY_INDEX,
  TAG_PARTITION_KEY_TABLE,
  TAG_RECORDS,
} from './format.js';
import { type KeySlot, type KeyTable, addKey, clearKeys, createKeyTable, findKey, indexInTable, writeKeys } from './key-table.js';
import type { AggregationInput, Md5 } from './types.js';
import { delimitedSize, varintSize, writeVarint } from './varint.js';

/**
 * The builder's state as plain data, and the module-level functions that work on it: every builder
 * shares one optimised copy of them, where per-builder closures would each be a separate call target
 * the engine cannot inline.
 */
export interface BuilderState {
  readonly maxBytes: number;
  readonly maxCount: number;
  readonly md5: Md5;
  readonly partitionKeys: KeyTable;
  readonly hashKeys: KeyTable;
  // Parallel arrays rather than one object per record, reused from one aggregate to the next:
  // nothing to allocate on the hot path once they have grown.
  readonly keyIndexes: number[];
  readonly hashKeyIndexes: number[];
  readonly payloads: Uint8Array[];
  count: number;
  size: number;
}

// Tags we write are one byte: every field number is below 16.
const TAG_BYTES = 1;
// A record without an explicit hash key, or a key not yet in its table.
const NO_KEY = -1;
// Keys a table remembers across aggregates, per generation (two are kept): the keys of a stream with
// tens of thousands of keys stay measured, and memory stays bounded (about 2 x 16,384 keys per table)
// when keys rarely repeat.
const REMEMBERED_KEYS = 16_384;
const NO_DATA = new Uint8Array(0);

/** A state with no record. */
export function createBuilderState(maxBytes: number, maxCount: number, md5: Md5): BuilderState {
  return {
    maxBytes,
    maxCount,
    md5,
    partitionKeys: createKeyTable(REMEMBERED_KEYS),
    hashKeys: createKeyTable(REMEMBERED_KEYS),
    keyIndexes: [],
    hashKeyIndexes: [],
    payloads: [],
    count: 0,
    size: AGGREGATE_OVERHEAD_BYTES,
  };
}

function recordBodySize(keyIndex: number, hashKeyIndex: number, dataLength: number): number {
  const hashKeyField = hashKeyIndex === NO_KEY ? 0 : TAG_BYTES + varintSize(hashKeyIndex);
  return TAG_BYTES + varintSize(keyIndex) + hashKeyField + delimitedSize(dataLength);
}

/** Adds `record` if it fits (or is the first); see `AggregateBuilder.tryAdd`. */
export function addRecord(state: BuilderState, record: AggregationInput): boolean {
  const { partitionKey, explicitHashKey, data } = record;
  const { partitionKeys, hashKeys } = state;
  // Lookups only peek: nothing changes until the record is known to fit. A key not in the table yet
  // takes the next index and adds its own entry.
  const keySlot = findKey(partitionKeys, partitionKey);
  let keyIndex = indexInTable(partitionKeys, keySlot);
  const keyIsNew = keyIndex === NO_KEY;
  let grows = 0;
  if (keyIsNew) {
    keyIndex = partitionKeys.count;
    grows += delimitedSize(keySlot.byteLength);
  }
  let hashKeyIndex = NO_KEY;
  let hashKeyIsNew = false;
  const hashKeySlot = explicitHashKey === undefined ? undefined : findKey(hashKeys, explicitHashKey);
  if (hashKeySlot !== undefined) {
    hashKeyIndex = indexInTable(hashKeys, hashKeySlot);
    hashKeyIsNew = hashKeyIndex === NO_KEY;
    if (hashKeyIsNew) {
      hashKeyIndex = hashKeys.count;
      grows += delimitedSize(hashKeySlot.byteLength);
    }
  }
  grows += delimitedSize(recordBodySize(keyIndex, hashKeyIndex, data.length));
  const { count } = state;
  if (count > 0 && (count >= state.maxCount || state.size + grows > state.maxBytes)) return false;
  if (keyIsNew) addKey(partitionKeys, keySlot);
  if (hashKeyIsNew) addKey(hashKeys, hashKeySlot as KeySlot);
  state.keyIndexes[count] = keyIndex;
  state.hashKeyIndexes[count] = hashKeyIndex;
  state.payloads[count] = data;
  state.count = count + 1;
  state.size += grows;
  return true;
}

/** Encodes the records of `state` into exactly `state.size` bytes: magic, protobuf message, MD5. */
export function encodeState(state: BuilderState): Uint8Array {
  const { keyIndexes, hashKeyIndexes, payloads, count } = state;
  const out = new Uint8Array(state.size);
  out.set(AGGREGATE_MAGIC, 0);
  // Fields in number order, as protobuf encoders write them: tables first, then records.
  let pos = writeKeys(state.partitionKeys, out, AGGREGATE_MAGIC_BYTES, TAG_PARTITION_KEY_TABLE);
  pos = writeKeys(state.hashKeys, out, pos, TAG_EXPLICIT_HASH_KEY_TABLE);
  for (let i = 0; i < count; i++) {
    const data = payloads[i];
    const keyIndex = keyIndexes[i];
    const hashKeyIndex = hashKeyIndexes[i];
    out[pos++] = TAG_RECORDS;
    pos = writeVarint(out, pos, recordBodySize(keyIndex, hashKeyIndex, data.length));
    out[pos++] = TAG_PARTITION_KEY_INDEX;
    pos = writeVarint(out, pos, keyIndex);
    if (hashKeyIndex !== NO_KEY) {
      out[pos++] = TAG_EXPLICIT_HASH_KEY_INDEX;
      pos = writeVarint(out, pos, hashKeyIndex);
    }
    out[pos++] = TAG_DATA;
    pos = writeVarint(out, pos, data.length);
    out.set(data, pos);
    pos += data.length;
  }
  out.set(state.md5(out.subarray(AGGREGATE_MAGIC_BYTES, pos)), pos);
  return out;
}

/** Empties `state` for the next aggregate. */
export function resetState(state: BuilderState): void {
  clearKeys(state.partitionKeys);
  clearKeys(state.hashKeys);
  // Drop references to the payloads just encoded, but keep the arrays' capacity.
  state.payloads.fill(NO_DATA, 0, state.count);
  state.count = 0;
  state.size = AGGREGATE_OVERHEAD_BYTES;
}
