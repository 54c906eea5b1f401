import { Buffer } from 'node:buffer';

/**
 * Base64 of bytes in Node builds (the package's `"node"` export condition): Buffer's native encoder, no copy.
 * Data that already is a Buffer (every string value the producer encoded) is encoded as it is, without a
 * second Buffer object over the same bytes.
 */
export function base64(bytes: Uint8Array): string {
  return (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString('base64');
}
