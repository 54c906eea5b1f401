import { AggregateFormatError } from './format-error.js';
import { readVarint } from './varint.js';

/**
 * Minimal protobuf wire reading over one byte range, enough to walk `AggregatedRecord` and `Record` and to
 * skip whatever else a newer producer may have written (tags, unknown fields). Every read checks bounds
 * and throws {@link AggregateFormatError} instead of reading past `end`.
 */

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;
const FIXED64_BYTES = 8;
const FIXED32_BYTES = 4;
// A tag is (field number << 3) | wire type.
const WIRE_TYPE_BITS = 8;

/** A cursor over `bytes[pos..end)`, advanced by the functions below. */
export interface WireCursor {
  readonly bytes: Uint8Array;
  pos: number;
  readonly end: number;
}

/**
 * Reads a varint at the cursor.
 *
 * @example
 * ```ts
 * readUint({ bytes: Uint8Array.of(0x96, 0x01), pos: 0, end: 2 }); // 150
 * ```
 */
export function readUint(cursor: WireCursor): number {
  const read = readVarint(cursor.bytes, cursor.pos);
  if (read === undefined || read.end > cursor.end) throw new AggregateFormatError('truncated varint');
  cursor.pos = read.end;
  return read.value;
}

/**
 * Reads a tag and splits it into field number and wire type.
 *
 * @example
 * ```ts
 * readTag({ bytes: Uint8Array.of(0x1a), pos: 0, end: 1 }); // { field: 3, wireType: 2 }
 * ```
 */
export function readTag(cursor: WireCursor): { field: number; wireType: number } {
  const tag = readUint(cursor);
  return { field: Math.floor(tag / WIRE_TYPE_BITS), wireType: tag % WIRE_TYPE_BITS };
}

/**
 * Reads the length prefix of a length-delimited field and returns the range of its payload, moving the
 * cursor past it.
 *
 * @example
 * ```ts
 * readDelimited({ bytes: Uint8Array.of(2, 7, 8), pos: 0, end: 3 }); // { start: 1, end: 3 }
 * ```
 */
export function readDelimited(cursor: WireCursor): { start: number; end: number } {
  const length = readUint(cursor);
  const start = cursor.pos;
  if (length > cursor.end - start) throw new AggregateFormatError('length-delimited field runs past its message');
  cursor.pos = start + length;
  return { start, end: cursor.pos };
}

/**
 * Checks that a known field came with the wire type the schema gives it.
 *
 * @example
 * ```ts
 * expectWireType('Record.data', 0, WIRE_TYPE.len); // throws AggregateFormatError
 * ```
 */
export function expectWireType(name: string, actual: number, expected: number): void {
  if (actual !== expected) throw new AggregateFormatError(`${name} has wire type ${actual}, expected ${expected}`);
}

/** Wire types of the fields the aggregation format defines. */
export const WIRE_TYPE = Object.freeze({ varint: WIRE_VARINT, len: WIRE_LEN });

/**
 * Skips the value of a field this decoder does not use. Groups (wire types 3 and 4) are not part of
 * the format and are rejected.
 *
 * @example
 * ```ts
 * const cursor = { bytes: Uint8Array.of(0x22, 0x01, 0x00), pos: 0, end: 3 };
 * skipField(cursor, readTag(cursor).wireType); // cursor.pos === 3
 * ```
 */
export function skipField(cursor: WireCursor, wireType: number): void {
  switch (wireType) {
    case WIRE_VARINT:
      readUint(cursor);
      return;
    case WIRE_LEN:
      readDelimited(cursor);
      return;
    case WIRE_FIXED64:
    case WIRE_FIXED32: {
      const width = wireType === WIRE_FIXED64 ? FIXED64_BYTES : FIXED32_BYTES;
      if (width > cursor.end - cursor.pos) throw new AggregateFormatError('truncated fixed-width field');
      cursor.pos += width;
      return;
    }
    default:
      throw new AggregateFormatError(`unsupported wire type ${wireType}`);
  }
}
