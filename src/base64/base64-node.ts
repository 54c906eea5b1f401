import { Buffer } from 'node:buffer';

/** Base64 of bytes in Node builds (the package's `"node"` export condition): Buffer's native encoder, no copy. */
export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
