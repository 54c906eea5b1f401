import { map, type OperatorFunction } from 'rxjs';
import { encodeRecord, resolveMaxRecordBytes, type EncodedRecord, type EncodeOptions, type RecordMapper } from '../records/encode.js';
import type { PutFailure } from '../records/outcome.js';

/**
 * Encodes and validates each value: the first stage of the pipeline. Values that break a rule come
 * out as failed outcomes, the others as {@link EncodedRecord}s; later stages pass failures through.
 *
 * @example
 * ```ts
 * import { encodeRecords } from 'rxjs-kinesis';
 * events$.pipe(encodeRecords((e) => ({ partitionKey: e.deviceId, data: JSON.stringify(e) })));
 * ```
 */
export function encodeRecords<T>(
  mapper: RecordMapper<T>,
  options: EncodeOptions & { now?: () => number } = {},
): OperatorFunction<T, EncodedRecord<T> | PutFailure<T>> {
  const maxRecordBytes = resolveMaxRecordBytes(options.maxRecordBytes);
  const now = options.now ?? Date.now;
  return map((value) => encodeRecord(value, mapper, maxRecordBytes, now()));
}
