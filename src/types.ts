/** What the `record` function of `put`/`toKinesis` returns for one value. */
export interface KinesisRecordInput {
  /** Routes the record to a shard (MD5 of it) unless `explicitHashKey` is set. 1 to 256 Unicode characters. */
  partitionKey: string;
  /** The payload: a string (sent as UTF-8) or bytes. */
  data: string | Uint8Array;
  /** A decimal hash key in 0..2^128-1 that picks the shard instead of the partition key's MD5. */
  explicitHashKey?: string | undefined;
}

/** Why a value failed: the service's error code or one of the producer's own codes. */
export interface PutError {
  /**
   * The service's code (`ProvisionedThroughputExceededException`, `ResourceNotFoundException`, ...) or the producer's:
   * `InvalidRecord` (bad input), `Expired` (retries ran past `recordTtlMs`), `Dropped` (buffer overflow policy),
   * `RequestTimeout`, `NetworkError`, `Closed` (put into a closed producer).
   */
  code: string;
  message: string;
  /** Whether the service would have accepted it later: true for throttles and transient faults that ran out of time. */
  retryable: boolean;
}

/** A value that Kinesis accepted. */
export interface PutSuccess<T> {
  ok: true;
  value: T;
  shardId: string;
  sequenceNumber: string;
  /** Index inside the aggregated record that carried the value; absent when it was sent as a plain record. */
  subSequenceNumber?: number;
  /** PutRecords requests that carried the value, this one included. */
  attempts: number;
}

/** A value that was not sent, with the reason. */
export interface PutFailure<T> {
  ok: false;
  value: T;
  error: PutError;
  /** PutRecords requests that carried the value (0 when it never left the producer). */
  attempts: number;
}

/** Exactly one per input value, emitted when the value is decided. */
export type PutOutcome<T> = PutSuccess<T> | PutFailure<T>;

/** Builds a failed outcome. */
export function failure<T>(value: T, code: string, message: string, retryable: boolean, attempts: number): PutFailure<T> {
  return { ok: false, value, error: { code, message, retryable }, attempts };
}
