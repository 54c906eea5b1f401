import { map, type OperatorFunction } from 'rxjs';
import { encodeRecord, resolveMaxRecordBytes, type EncodedRecord, type EncodeOptions, type RecordMapper } from '../records/encode.js';
import type { PutFailure } from '../records/outcome.js';

/**
 * Checks each value's record against the service's rules and encodes it: the first stage.
 *
 * <span class="informal">Your record function runs here, contained: whatever it or its result does, a value
 * that breaks a rule comes out as a failed outcome (`InvalidRecord`) naming the rule, and later stages
 * pass it through.</span>
 *
 * ## Examples
 *
 * @example
 * ```ts
 * import { encodeRecords } from 'rxjs-kinesis';
 * events$.pipe(encodeRecords((e) => ({ partitionKey: e.deviceId, data: JSON.stringify(e) })));
 * ```
 *
 * @see {@link routeToShards} the next stage
 * @see {@link createProducer} the stages wired for you
 *
 * @param mapper maps each value to its partition key and data (and, optionally, an explicit hash key)
 * @param options the stream's record limit, and the clock that stamps each record's arrival
 * @returns an operator that emits an {@link EncodedRecord} or a failed outcome per value
 */
export function encodeRecords<T>(
  mapper: RecordMapper<T>,
  options: EncodeOptions & { now?: () => number } = {},
): OperatorFunction<T, EncodedRecord<T> | PutFailure<T>> {
  const maxRecordBytes = resolveMaxRecordBytes(options.maxRecordBytes);
  const now = options.now ?? Date.now;
  return map((value) => encodeRecord(value, mapper, maxRecordBytes, now()));
}
