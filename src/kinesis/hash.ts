import { md5 } from 'js-md5';
import { HASH_KEY_MAX, HASH_KEY_MAX_DIGITS } from './limits.js';

/**
 * A 128-bit hash key as 32 lowercase hex digits. Fixed-width hex strings order like the numbers they
 * spell, so routing compares strings instead of BigInts.
 *
 * @example
 * ```ts
 * import { hashKeyToDecimal, partitionKeyHash, type HashKey } from 'rxjs-kinesis/kinesis';
 * const key: HashKey = partitionKeyHash('device-1');
 * const explicitHashKey = hashKeyToDecimal(key); // sends another record to the shard 'device-1' goes to
 * ```
 */
export type HashKey = string;

const HASH_KEY_HEX_DIGITS = 32;
/** Distinct partition keys whose hash is kept; the cache is cleared when it fills. */
const HASH_CACHE_SIZE = 1 << 16;
const cache = new Map<string, HashKey>();
/**
 * The same hex digits as one flat string. Strings built by concatenation (js-md5's hex, padStart) are
 * ropes, and V8 walks a rope on every comparison: routing compares each record's hash key several times.
 */
function flatten(hex: string): HashKey {
  const codes = new Array<number>(hex.length);
  for (let i = 0; i < hex.length; i++) codes[i] = hex.charCodeAt(i);
  return String.fromCharCode.apply(null, codes);
}

/**
 * The hash key Kinesis derives from a partition key: MD5 of its UTF-8 bytes, read big-endian.
 *
 * @example
 * ```ts
 * partitionKeyHash('device-1'); // 32 hex digits: MD5 of 'device-1'
 * ```
 */
export function partitionKeyHash(partitionKey: string): HashKey {
  let hash = cache.get(partitionKey);
  if (hash === undefined) {
    hash = flatten(md5.hex(partitionKey));
    if (cache.size >= HASH_CACHE_SIZE) cache.clear();
    cache.set(partitionKey, hash);
  }
  return hash;
}

/**
 * Converts a decimal hash key (as ListShards and ExplicitHashKey spell it) to its hex form.
 *
 * @example
 * ```ts
 * decimalToHashKey('255'); // '000000000000000000000000000000ff'
 * ```
 */
export function decimalToHashKey(decimal: string): HashKey {
  return flatten(BigInt(decimal).toString(16).padStart(HASH_KEY_HEX_DIGITS, '0'));
}

/**
 * Converts a hash key back to the decimal form the service uses.
 *
 * @example
 * ```ts
 * hashKeyToDecimal('000000000000000000000000000000ff'); // '255'
 * ```
 */
export function hashKeyToDecimal(hash: HashKey): string {
  return BigInt(`0x${hash}`).toString(10);
}

/** The API's pattern for ExplicitHashKey: `0|([1-9]\d{0,38})`, no leading zeros. */
const DECIMAL = /^(?:0|[1-9][0-9]{0,38})$/;

/**
 * Whether a string is a valid ExplicitHashKey as the API checks it: its pattern, and 0..2^128-1.
 *
 * @example
 * ```ts
 * import { isValidExplicitHashKey } from 'rxjs-kinesis/kinesis';
 * isValidExplicitHashKey('7'); // true
 * isValidExplicitHashKey('007'); // false: the API refuses leading zeros
 * ```
 */
export function isValidExplicitHashKey(key: unknown): key is string {
  return (
    typeof key === 'string' &&
    key.length > 0 &&
    key.length <= HASH_KEY_MAX_DIGITS &&
    DECIMAL.test(key) &&
    BigInt(key) <= HASH_KEY_MAX
  );
}
