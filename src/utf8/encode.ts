const encoder = new TextEncoder();

/** Encodes a string as UTF-8 (browsers and the default build). */
export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Bytes for `utf8Into` to fill (zeroed here; Node's build leaves them as they come). */
export function allocBytes(length: number): Uint8Array {
  return new Uint8Array(length);
}

/**
 * Writes `text` as UTF-8 into `out` from `pos`, as much of it as fits, and returns the bytes written: a
 * caller that measured the text compares the two.
 */
export function utf8Into(text: string, out: Uint8Array, pos: number): number {
  return encoder.encodeInto(text, out.subarray(pos)).written;
}
