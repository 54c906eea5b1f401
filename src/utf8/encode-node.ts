import { Buffer } from 'node:buffer';

/**
 * Encodes a string as UTF-8 in Node builds (the package's `"node"` export condition): `Buffer.from`
 * takes a few hundred bytes from a shared pool, about four times faster than `TextEncoder` per
 * 100-byte value, and a Buffer is the Uint8Array the SDK sends. Browsers never load it.
 */
export function utf8Encode(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

/** Bytes for `utf8Into` to fill, not zeroed first: a PutRecords body is megabytes written over at once. */
export function allocBytes(length: number): Uint8Array {
  return Buffer.allocUnsafe(length);
}

/**
 * Writes `text` as UTF-8 into `out` from `pos`, as much of it as fits, and returns the bytes written: a
 * caller that measured the text compares the two.
 */
export function utf8Into(text: string, out: Uint8Array, pos: number): number {
  if (pos >= out.length) return 0; // as TextEncoder.encodeInto; Buffer#write throws past the end
  const buffer = Buffer.isBuffer(out) ? out : Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  return buffer.write(text, pos, 'utf8');
}
