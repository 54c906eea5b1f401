import { createAggregateBuilder } from './builder.js';
import type { AggregationInput, Md5 } from './types.js';

const UNLIMITED = { maxBytes: Infinity, maxCount: Infinity };

/**
 * Encodes `records` as one KPL aggregate, however many and however big; the caller decides what belongs
 * together. To cut aggregates at a size, use {@link createAggregateBuilder}.
 *
 * @example
 * ```ts
 * import { encodeAggregate, decodeAggregate } from 'rxjs-kinesis/kpl';
 *
 * const bytes = encodeAggregate([
 *   { partitionKey: 'a', data: Uint8Array.of(1) },
 *   { partitionKey: 'b', explicitHashKey: '0', data: Uint8Array.of(2, 3) },
 * ]);
 * decodeAggregate(bytes).length; // 2
 * ```
 */
export function encodeAggregate(
  records: Iterable<AggregationInput>,
  options: { md5?: Md5 } = {},
): Uint8Array {
  const builder = createAggregateBuilder({ ...UNLIMITED, md5: options.md5 });
  for (const record of records) builder.tryAdd(record);
  return builder.build();
}
