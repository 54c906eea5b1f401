/**
 * What to do with a failure: try again later, give up on these records, or give up on the stream.
 *
 * @example
 * ```ts
 * import { classifyCode, type FailureKind } from 'rxjs-kinesis';
 * const kind: FailureKind = classifyCode(failed.error.code);
 * if (kind === 'stream') alerts.send(failed.error.message); // nothing will get through until someone acts
 * ```
 */
export type FailureKind = 'retryable' | 'fatal' | 'stream';

/** Per-entry and request-level codes that a later attempt may get through. */
export const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'ProvisionedThroughputExceededException',
  'InternalFailure',
  'InternalFailureException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'ThrottlingException',
  'Throttling',
  'LimitExceededException',
  'KMSThrottlingException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'NetworkError',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
]);

/** Codes that mean nothing can be written to the stream: every record held fails with them. */
export const STREAM_CODES: ReadonlySet<string> = new Set([
  'ResourceNotFoundException',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'MissingAuthenticationToken',
]);

/**
 * Classifies a service or network error code. Unknown codes are fatal for their records only.
 *
 * @example
 * ```ts
 * classifyCode('ProvisionedThroughputExceededException'); // 'retryable'
 * classifyCode('ResourceNotFoundException'); // 'stream'
 * classifyCode('KMSDisabledException'); // 'fatal'
 * ```
 */
export function classifyCode(code: string): FailureKind {
  if (RETRYABLE_CODES.has(code)) return 'retryable';
  if (STREAM_CODES.has(code)) return 'stream';
  return 'fatal';
}

/**
 * A request-level error reduced to what the producer needs.
 *
 * @example
 * ```ts
 * import { classifyError, type ClassifiedError } from 'rxjs-kinesis';
 * const worthRetrying = (e: ClassifiedError) => e.kind === 'retryable';
 * worthRetrying(classifyError(new Error('socket hang up'))); // true: a network error
 * ```
 */
export interface ClassifiedError {
  code: string;
  message: string;
  kind: FailureKind;
}

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

/**
 * Classifies an error thrown by `client.send(PutRecordsCommand)`: service errors by name, 5xx and
 * network errors as retryable. Never copies request details into the message.
 *
 * @example
 * ```ts
 * try {
 *   await client.send(new PutRecordsCommand(input));
 * } catch (error) {
 *   const { code, kind } = classifyError(error); // e.g. { code: 'InternalFailure', kind: 'retryable' }
 * }
 * ```
 */
export function classifyError(error: unknown): ClassifiedError {
  const e = (error ?? {}) as ErrorLike;
  const status = e.$metadata?.httpStatusCode;
  const code = e.name === 'AbortError' ? 'RequestTimeout' : (e.code ?? e.name ?? 'UnknownError');
  const message = String(e.message ?? error);
  let kind = classifyCode(code);
  if (kind === 'fatal' && ((status !== undefined && status >= 500) || e.$retryable !== undefined)) kind = 'retryable';
  if (kind === 'fatal' && status === undefined && isNetworkError(code, message)) kind = 'retryable';
  return { code, message, kind };
}

const NETWORK_MESSAGE = /socket hang up|ECONNRESET|EPIPE|ETIMEDOUT|ECONNREFUSED|network|fetch failed/i;

function isNetworkError(code: string, message: string): boolean {
  return code === 'Error' || code === 'TypeError' ? NETWORK_MESSAGE.test(message) : NETWORK_MESSAGE.test(code);
}
