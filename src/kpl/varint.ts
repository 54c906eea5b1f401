/**
 * Protobuf base-128 varints for the non-negative integers an aggregate holds (lengths and table indexes).
 * Writers take values below 2^32: every length is a typed-array length and every index a count, both
 * bounded by that.
 */

const SEVEN_BITS = 0x7f;
const CONTINUE = 0x80;
// Bytes a varint may span on the wire (a 64-bit value); a longer one is corrupt.
const MAX_VARINT_BYTES = 10;

/**
 * Number of bytes `value` takes as a varint.
 *
 * @example
 * ```ts
 * varintSize(127); // 1
 * varintSize(128); // 2
 * ```
 */
export function varintSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  return 5;
}

/**
 * Writes `value` as a varint at `pos` and returns the position after it.
 *
 * @example
 * ```ts
 * const out = new Uint8Array(2);
 * writeVarint(out, 0, 300); // 2; out is [0xac, 0x02]
 * ```
 */
export function writeVarint(out: Uint8Array, pos: number, value: number): number {
  while (value > SEVEN_BITS) {
    out[pos++] = (value & SEVEN_BITS) | CONTINUE;
    value >>>= 7;
  }
  out[pos++] = value;
  return pos;
}

/**
 * Reads a varint of up to 64 bits at `pos`. Returns the value (exact up to 2^53, rounded above, which no
 * valid index or length reaches) and the position after it, or `undefined` when the bytes end first or
 * the varint is longer than ten bytes.
 *
 * @example
 * ```ts
 * readVarint(Uint8Array.of(0xac, 0x02), 0); // { value: 300, end: 2 }
 * ```
 */
export function readVarint(bytes: Uint8Array, pos: number): { value: number; end: number } | undefined {
  let value = 0;
  let scale = 1;
  const last = Math.min(bytes.length, pos + MAX_VARINT_BYTES);
  // Multiplication rather than shifts: shifts wrap at 32 bits and indexes are uint64 on the wire.
  for (let i = pos; i < last; i++) {
    const byte = bytes[i];
    value += (byte & SEVEN_BITS) * scale;
    if (byte < CONTINUE) return { value, end: i + 1 };
    scale *= 128;
  }
  return undefined;
}

// Tags we write are one byte: every field number is below 16.
const TAG_BYTES = 1;

/**
 * Bytes of a length-delimited field (tag, length varint, payload) whose payload is `length` bytes.
 *
 * @example
 * ```ts
 * delimitedSize(100); // 1 + 1 + 100 = 102
 * ```
 */
export function delimitedSize(length: number): number {
  return TAG_BYTES + varintSize(length) + length;
}
