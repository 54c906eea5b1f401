/** Native `Uint8Array.prototype.toBase64` where the browser has it (2025 onwards). */
const native = (Uint8Array.prototype as { toBase64?: (this: Uint8Array) => string }).toBase64;
/** Bytes per `String.fromCharCode` call: below every engine's argument limit. */
const CHUNK = 0x2000;

/**
 * Base64 of bytes, in browsers and the default build: the engine's own encoder (`toBase64`, or `btoa`
 * over the bytes as Latin-1 text), never a loop of JavaScript per byte.
 */
export function base64(bytes: Uint8Array): string {
  if (native !== undefined) return native.call(bytes);
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return btoa(binary);
}
