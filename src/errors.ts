/**
 * The producer cannot write to the stream at all: it does not exist, access is denied, or the
 * credentials are refused. The output errors with it after every value held got its failed outcome.
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
 */
export class BufferOverflowError extends Error {
  override readonly name = 'BufferOverflow';
  readonly code = 'BufferOverflow';
  constructor(
    message: string,
    readonly bufferedRecords: number,
    readonly bufferedBytes: number,
  ) {
    super(message);
  }
}
