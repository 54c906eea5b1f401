import { defaultMd5 } from './checksum.js';
import { AGGREGATE_CHECKSUM_BYTES, AGGREGATE_MAGIC, AGGREGATE_MAGIC_BYTES, AGGREGATE_OVERHEAD_BYTES } from './format.js';
import { AggregateFormatError } from './format-error.js';
import type { AggregationInput, Md5 } from './types.js';
import { WIRE_TYPE, type WireCursor, expectWireType, readDelimited, readTag, readUint, skipField } from './wire-reader.js';

/**
 * Options of {@link decodeAggregate}.
 *
 * @example
 * ```ts
 * // Bytes already verified elsewhere: skip hashing them a second time.
 * const options: DecodeAggregateOptions = { verifyChecksum: false };
 * ```
 */
export interface DecodeAggregateOptions {
  /** Compare the MD5 trailer with the protobuf bytes before decoding. Default: `true`. */
  verifyChecksum?: boolean;
  /** MD5 used to verify. Default: js-md5 (pure JS, browser-safe). */
  md5?: Md5;
}

// ignoreBOM keeps a leading U+FEFF in a key instead of silently dropping it.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Whether `bytes` starts with the KPL magic prefix and is long enough to hold the MD5 trailer. It does
 * not check the checksum: consumers such as the KCL hand a record with a bad checksum to the application
 * as a plain record.
 *
 * @example
 * ```ts
 * import { encodeAggregate, isAggregate } from 'rxjs-kinesis/kpl';
 * isAggregate(encodeAggregate([])); // true
 * isAggregate(new TextEncoder().encode('{"plain":true}')); // false
 * ```
 */
export function isAggregate(bytes: Uint8Array): boolean {
  if (bytes.length < AGGREGATE_OVERHEAD_BYTES) return false;
  for (let i = 0; i < AGGREGATE_MAGIC_BYTES; i++) if (bytes[i] !== AGGREGATE_MAGIC[i]) return false;
  return true;
}

/**
 * Decodes a KPL aggregate into its user records, in order. Each `data` is a view into `bytes` (no copy);
 * `explicitHashKey` is present only on records that have one. Throws {@link AggregateFormatError} when
 * `bytes` is not an aggregate (check with {@link isAggregate} first to treat those as plain records), when
 * the checksum does not match, or when the protobuf message is malformed.
 *
 * @example
 * ```ts
 * import { decodeAggregate, encodeAggregate } from 'rxjs-kinesis/kpl';
 *
 * const bytes = encodeAggregate([{ partitionKey: 'k', data: Uint8Array.of(42) }]);
 * decodeAggregate(bytes, { verifyChecksum: true });
 * // [{ partitionKey: 'k', data: Uint8Array [42] }]
 * ```
 */
export function decodeAggregate(bytes: Uint8Array, options: DecodeAggregateOptions = {}): AggregationInput[] {
  if (!isAggregate(bytes)) throw new AggregateFormatError('no KPL magic prefix, or too short for an aggregate');
  const end = bytes.length - AGGREGATE_CHECKSUM_BYTES;
  if (options.verifyChecksum ?? true) verifyChecksum(bytes, end, options.md5 ?? defaultMd5);

  const partitionKeys: string[] = [];
  const hashKeys: string[] = [];
  const records: RawRecord[] = [];
  const cursor: WireCursor = { bytes, pos: AGGREGATE_MAGIC_BYTES, end };
  // Fields may come in any order (records before tables is valid protobuf), so indexes resolve at the end.
  while (cursor.pos < end) {
    const { field, wireType } = readTag(cursor);
    if (field === 1 || field === 2) {
      expectWireType(field === 1 ? 'partition_key_table' : 'explicit_hash_key_table', wireType, WIRE_TYPE.len);
      const range = readDelimited(cursor);
      (field === 1 ? partitionKeys : hashKeys).push(utf8.decode(bytes.subarray(range.start, range.end)));
    } else if (field === 3) {
      expectWireType('records', wireType, WIRE_TYPE.len);
      const range = readDelimited(cursor);
      records.push(readRecord({ bytes, pos: range.start, end: range.end }, records.length));
    } else {
      skipField(cursor, wireType);
    }
  }
  return records.map((record, i) => resolve(record, i, partitionKeys, hashKeys));
}

interface RawRecord {
  keyIndex: number;
  hashKeyIndex: number | undefined;
  data: Uint8Array;
}

function verifyChecksum(bytes: Uint8Array, end: number, md5: Md5): void {
  const digest = md5(bytes.subarray(AGGREGATE_MAGIC_BYTES, end));
  for (let i = 0; i < AGGREGATE_CHECKSUM_BYTES; i++) {
    if (digest[i] !== bytes[end + i]) throw new AggregateFormatError('MD5 checksum does not match the aggregate');
  }
}

function readRecord(cursor: WireCursor, position: number): RawRecord {
  const { bytes } = cursor;
  let keyIndex: number | undefined;
  let hashKeyIndex: number | undefined;
  let data: Uint8Array | undefined;
  while (cursor.pos < cursor.end) {
    const { field, wireType } = readTag(cursor);
    if (field === 1 || field === 2) {
      expectWireType(field === 1 ? 'partition_key_index' : 'explicit_hash_key_index', wireType, WIRE_TYPE.varint);
      if (field === 1) keyIndex = readUint(cursor);
      else hashKeyIndex = readUint(cursor);
    } else if (field === 3) {
      expectWireType('data', wireType, WIRE_TYPE.len);
      const range = readDelimited(cursor);
      data = bytes.subarray(range.start, range.end);
    } else {
      // Field 4 holds tags, which user records do not carry; skipped like any unknown field.
      skipField(cursor, wireType);
    }
  }
  if (keyIndex === undefined || data === undefined) {
    throw new AggregateFormatError(`record ${position} lacks a required partition_key_index or data`);
  }
  return { keyIndex, hashKeyIndex, data };
}

function resolve(record: RawRecord, position: number, partitionKeys: string[], hashKeys: string[]): AggregationInput {
  const { keyIndex, hashKeyIndex, data } = record;
  if (keyIndex >= partitionKeys.length) {
    throw new AggregateFormatError(`record ${position} refers to partition key ${keyIndex} of ${partitionKeys.length}`);
  }
  const decoded: AggregationInput = { partitionKey: partitionKeys[keyIndex], data };
  if (hashKeyIndex !== undefined) {
    if (hashKeyIndex >= hashKeys.length) {
      throw new AggregateFormatError(`record ${position} refers to hash key ${hashKeyIndex} of ${hashKeys.length}`);
    }
    decoded.explicitHashKey = hashKeys[hashKeyIndex];
  }
  return decoded;
}
