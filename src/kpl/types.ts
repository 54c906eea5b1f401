/**
 * One user record as it goes into an aggregate and comes out of {@link decodeAggregate}.
 *
 * @example
 * ```ts
 * import type { AggregationInput } from 'rxjs-kinesis/kpl';
 * const record: AggregationInput = { partitionKey: 'user-42', data: new TextEncoder().encode('{"n":1}') };
 * ```
 */
export interface AggregationInput {
  /** Partition key of the user record; consumers see it as the record's key after deaggregation. */
  partitionKey: string;
  /** Decimal 128-bit hash key; when present, consumers see it instead of the MD5 of the partition key. */
  explicitHashKey?: string;
  /** Payload bytes. The builder keeps a reference until `build()`: do not mutate them in between. */
  data: Uint8Array;
}

/**
 * Computes an MD5 digest (16 bytes). The default is js-md5's pure-JS `md5.array`, which runs in browsers;
 * in Node, `(bytes) => createHash('md5').update(bytes).digest()` is about twice as fast per byte.
 *
 * @example
 * ```ts
 * import { createHash } from 'node:crypto';
 * const nodeMd5: Md5 = (bytes) => createHash('md5').update(bytes).digest();
 * ```
 */
export type Md5 = (bytes: Uint8Array) => ArrayLike<number>;
