import { ERROR_TABLE, UNKNOWN_ERROR, ruleOf, type ErrorRule, type FailureKind } from './error-table.js';

export { ERROR_TABLE, type ErrorRule, type FailureKind } from './error-table.js';

/**
 * Classifies a per-entry error code of a PutRecords answer (an entry that failed is not stored, so its
 * fate is known). Codes not in the table are retried until the TTL.
 *
 * @example
 * ```ts
 * classifyCode('ProvisionedThroughputExceededException'); // 'retryable'
 * classifyCode('ResourceNotFoundException'); // 'stream'
 * classifyCode('SomethingNew'); // 'retryable'
 * ```
 */
export function classifyCode(code: string): FailureKind {
  return ruleOf(code)?.kind ?? 'retryable';
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
export interface ClassifiedError extends ErrorRule {
  code: string;
  message: string;
}

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** Causes followed at most: errors wrap errors (the SDK's HTTP/2 cancel wraps the refused connection). */
const MAX_CAUSES = 5;
const NO_REGION = /region is missing/i;
const NO_CREDENTIALS = /could not load credentials from any providers/i;
const UNREADABLE = /deserialization error|unexpected end of json|is not valid json|unexpected token/i;
const HANG_UP = /socket hang up|other side closed|premature close/i;

const text = (x: unknown): string => {
  try {
    return typeof x === 'string' ? x : String(x);
  } catch {
    return 'an error that cannot be printed';
  }
};

/**
 * Classifies an error thrown by `client.send(...)` with one table ({@link ERROR_TABLE}): the service's
 * error name, or the Node error code found on the error or its causes (the innermost known one says
 * what happened). Unknown errors are retried until the TTL; 5xx answers and answers that cannot be read
 * leave the records' fate unknown. Never copies request details into the message.
 *
 * @example
 * ```ts
 * try {
 *   await client.send(new PutRecordsCommand(input));
 * } catch (error) {
 *   const { code, kind, ambiguous } = classifyError(error); // e.g. { code: 'ECONNRESET', kind: 'retryable', ambiguous: true }
 * }
 * ```
 */
export function classifyError(error: unknown): ClassifiedError {
  const e = (typeof error === 'object' && error !== null ? error : { message: error }) as ErrorLike;
  const message = text(e.message ?? error);
  const status = e.$metadata?.httpStatusCode;
  if (NO_REGION.test(message)) {
    return { code: 'ConfigError', message: 'no AWS region: set AWS_REGION, or pass { region } to new KinesisClient()', ...ERROR_TABLE.ConfigError };
  }
  if (e.name === 'CredentialsProviderError' && NO_CREDENTIALS.test(message)) {
    const hint = 'no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE, or pass { credentials } to new KinesisClient()';
    return { code: 'CredentialsError', message: hint, ...ERROR_TABLE.CredentialsError };
  }
  const known = innermostKnown(e);
  if (known !== undefined) return { code: known, message, ...ERROR_TABLE[known] };
  if (UNREADABLE.test(message)) return { code: 'UnreadableAnswer', message: `the answer${status ? ` (HTTP ${status})` : ''} could not be read: ${message}`, ...ERROR_TABLE.UnreadableAnswer };
  const code = typeof e.code === 'string' ? e.code : typeof e.name === 'string' && e.name !== 'Error' ? e.name : 'UnknownError';
  if (status === 413) return { code: 'RequestEntityTooLarge', message, ...ERROR_TABLE.RequestEntityTooLarge };
  // A 4xx answer was refused before anything was stored; anything else may have been.
  if (status !== undefined && status >= 400 && status < 500) return { code, message, kind: 'retryable', ambiguous: false };
  if (status === undefined && HANG_UP.test(message)) return { code: 'ECONNRESET', message, ...ERROR_TABLE.ECONNRESET };
  return { code, message, ...UNKNOWN_ERROR };
}

/** The code of the innermost error in the cause chain that the table knows, by `code`, then `name`. */
function innermostKnown(error: ErrorLike): string | undefined {
  const chain: ErrorLike[] = [];
  for (let e: unknown = error; typeof e === 'object' && e !== null && chain.length < MAX_CAUSES; e = (e as ErrorLike).cause) chain.push(e as ErrorLike);
  for (let i = chain.length - 1; i >= 0; i--) {
    const { code, name } = chain[i];
    if (typeof code === 'string' && ruleOf(code) !== undefined) return code;
    if (typeof name === 'string' && ruleOf(name) !== undefined) return name;
  }
  return undefined;
}
