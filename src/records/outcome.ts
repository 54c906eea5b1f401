/**
 * What the `record` function of `put`/`toKinesis` returns for one value.
 *
 * @example
 * ```ts
 * import type { KinesisRecordInput } from 'rxjs-kinesis';
 * const toRecord = (order: Order): KinesisRecordInput => ({ partitionKey: order.customerId, data: JSON.stringify(order) });
 * ```
 */
export interface KinesisRecordInput {
  /** Routes the record to a shard (MD5 of it) unless `explicitHashKey` is set. 1 to 256 Unicode characters. */
  partitionKey: string;
  /** The payload: a string (sent as UTF-8) or bytes. */
  data: string | Uint8Array;
  /** A decimal hash key in 0..2^128-1 that picks the shard instead of the partition key's MD5. */
  explicitHashKey?: string | undefined;
}

/**
 * The producer's own error codes, beside the service's (`ProvisionedThroughputExceededException`, ...):
 * `InvalidRecord` (bad input), `Expired` (not accepted within `recordTtlMs`), `Dropped` (the overflow
 * policy), `BufferOverflow` (it did not fit, policy `'fail'`), `Closed` (put into a closed producer),
 * `NoShard` (no open shard holds its hash key), `CredentialsError` and `ConfigError` (no credentials or
 * no region), `RequestTimeout` and `UnreadableAnswer` (an attempt's answer never came, or could not be read).
 *
 * @example
 * ```ts
 * import type { ProducerErrorCode } from 'rxjs-kinesis';
 * const mine = (code: string): code is ProducerErrorCode => ['InvalidRecord', 'Expired', 'Dropped', 'BufferOverflow', 'Closed'].includes(code);
 * ```
 */
export type ProducerErrorCode =
  | 'InvalidRecord'
  | 'Expired'
  | 'Dropped'
  | 'BufferOverflow'
  | 'Closed'
  | 'NoShard'
  | 'CredentialsError'
  | 'ConfigError'
  | 'RequestTimeout'
  | 'UnreadableAnswer';

/**
 * Why a value failed: the service's error code or one of the producer's own codes.
 *
 * @example
 * ```ts
 * import type { PutError } from 'rxjs-kinesis';
 * const describe = (e: PutError) => `${e.code}${e.retryable ? ' (would have succeeded later)' : ''}: ${e.message}`;
 * ```
 */
export interface PutError {
  /**
   * The service's code (`ProvisionedThroughputExceededException`, `ResourceNotFoundException`, ...) or the producer's:
   * `InvalidRecord` (bad input), `Expired` (retries ran past `recordTtlMs`), `Dropped` (buffer overflow policy),
   * `RequestTimeout`, `NetworkError`, `Closed` (put into a closed producer).
   */
  code: ProducerErrorCode | (string & {});
  message: string;
  /** Whether the service would have accepted it later: true for throttles and transient faults that ran out of time. */
  retryable: boolean;
}

/**
 * A value that Kinesis accepted.
 *
 * @example
 * ```ts
 * import type { PutSuccess } from 'rxjs-kinesis';
 * const position = (o: PutSuccess<Order>) => `${o.shardId}/${o.sequenceNumber}${o.subSequenceNumber === undefined ? '' : `#${o.subSequenceNumber}`}`;
 * ```
 */
export interface PutSuccess<T> {
  ok: true;
  value: T;
  shardId: string;
  sequenceNumber: string;
  /** Index inside the aggregated record that carried the value; absent when it was sent as a plain record. */
  subSequenceNumber?: number;
  /** PutRecords requests that carried the value, this one included, and the SDK's own retries of them. */
  attempts: number;
  /**
   * True when a request that carried the value ended without a readable answer (a reset after sending,
   * a timeout, an answer cut short) and the value was sent again: it may be stored more than once.
   * Absent otherwise.
   */
  possibleDuplicate?: true;
  /** The value's place in the input of its `put` (0, 1, 2, …, per subscription); `checkpoints` reads it. */
  index?: number;
}

/**
 * A value that was not sent, with the reason.
 *
 * @example
 * ```ts
 * import { filter } from 'rxjs';
 * import type { PutFailure } from 'rxjs-kinesis';
 * outcomes$.pipe(filter((o): o is PutFailure<Order> => !o.ok)).subscribe((f) => deadLetters.push({ order: f.value, code: f.error.code }));
 * ```
 */
export interface PutFailure<T> {
  ok: false;
  value: T;
  error: PutError;
  /** PutRecords requests that carried the value (0 when it never left the producer). */
  attempts: number;
  /** The value's place in the input of its `put` (0, 1, 2, …, per subscription); `checkpoints` reads it. */
  index?: number;
}

/**
 * Exactly one per input value, emitted when the value is decided.
 *
 * @example
 * ```ts
 * import type { PutOutcome } from 'rxjs-kinesis';
 * const report = (o: PutOutcome<Order>) => (o.ok ? `${o.value.id} on ${o.shardId}` : `${o.value.id} failed after ${o.attempts} attempts: ${o.error.code}`);
 * ```
 */
export type PutOutcome<T> = PutSuccess<T> | PutFailure<T>;

/**
 * Builds a success outcome for a record Kinesis accepted.
 *
 * @example
 * ```ts
 * const outcome = success(record, 'shardId-000000000000', '4966...', undefined); // { ok: true, ... }
 * ```
 */
export function success<T>(
  record: { value: T; attempts: number; possibleDuplicate?: boolean; index?: number | undefined },
  shardId: string,
  sequenceNumber: string,
  subSequenceNumber: number | undefined,
): PutSuccess<T> {
  const outcome: PutSuccess<T> = { ok: true, value: record.value, shardId, sequenceNumber, attempts: record.attempts };
  if (subSequenceNumber !== undefined) outcome.subSequenceNumber = subSequenceNumber;
  if (record.possibleDuplicate) outcome.possibleDuplicate = true;
  if (record.index !== undefined) outcome.index = record.index;
  return outcome;
}

/** Builds a failed outcome; `index` is the value's place in its `put`'s input, where known. */
export function failure<T>(value: T, code: string, message: string, retryable: boolean, attempts: number, index?: number): PutFailure<T> {
  const outcome: PutFailure<T> = { ok: false, value, error: { code, message, retryable }, attempts };
  if (index !== undefined) outcome.index = index;
  return outcome;
}
