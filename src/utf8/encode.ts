const encoder = new TextEncoder();

/** Encodes a string as UTF-8 (browsers and the default build). */
export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}
