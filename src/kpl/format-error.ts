/**
 * Thrown by {@link decodeAggregate} when bytes are not a well-formed KPL aggregate: no magic prefix,
 * checksum mismatch, truncated or malformed protobuf, or an index outside its key table.
 *
 * @example
 * ```ts
 * import { AggregateFormatError, decodeAggregate } from 'rxjs-kinesis/kpl';
 * try {
 *   decodeAggregate(bytes);
 * } catch (error) {
 *   if (error instanceof AggregateFormatError) console.warn('not an aggregate:', error.message);
 * }
 * ```
 */
export class AggregateFormatError extends Error {
  override readonly name = 'AggregateFormatError';
  readonly code = 'MalformedAggregate';
}
