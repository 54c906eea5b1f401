/**
 * The producer cannot write to the stream at all: it does not exist, access is denied, or the
 * credentials are refused. The output errors with it after every value held got its failed outcome.
 *
 * @example
 * ```ts
 * events$.pipe(producer.put(toRecord)).subscribe({
 *   error: (e) => e instanceof KinesisStreamError && console.error(e.code), // 'ResourceNotFoundException'
 * });
 * ```
 */
export class KinesisStreamError extends Error {
  override readonly name = 'KinesisStreamError';
  constructor(
    /** The service's error code, e.g. `ResourceNotFoundException`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The producer held `maxBufferedRecords` or `maxBufferedBytes` and the overflow policy is `'fail'`.
 * The output errors with it after the outcomes decided so far.
 *
 * @example
 * ```ts
 * hot$.pipe(producer.put(toRecord)).subscribe({
 *   error: (e) => e instanceof BufferOverflowError && console.error(e.bufferedRecords, e.bufferedBytes),
 * });
 * ```
 */
export class BufferOverflowError extends Error {
  override readonly name = 'BufferOverflowError';
  readonly code = 'BufferOverflow';
  constructor(
    message: string,
    readonly bufferedRecords: number,
    readonly bufferedBytes: number,
  ) {
    super(message);
  }
}
