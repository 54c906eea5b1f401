/**
 * What to do about a failure:
 * - `'retryable'`: a later attempt may get through; retried until the record's TTL.
 * - `'invalid'`: the request breaks the API's rules; a request of several entries is split to find the
 *   entries that do, and only those fail.
 * - `'stream'`: nothing can be written to the stream until someone acts; every record held fails.
 *
 * @example
 * ```ts
 * import { classifyCode, type FailureKind } from 'rxjs-kinesis/kinesis';
 * const kind: FailureKind = classifyCode(failed.error.code);
 * if (kind === 'stream') alerts.send(failed.error.message); // nothing will get through until someone acts
 * ```
 */
export type FailureKind = 'retryable' | 'invalid' | 'stream';

/**
 * One row of the table: the kind, and whether the records' fate is unknown when a request ends with it.
 *
 * @example
 * ```ts
 * import { ERROR_TABLE, type ErrorRule } from 'rxjs-kinesis';
 * const rule: ErrorRule = ERROR_TABLE.ECONNRESET; // { kind: 'retryable', ambiguous: true }
 * ```
 */
export interface ErrorRule {
  kind: FailureKind;
  /** The request may have been stored before it failed (its answer was lost), so a retry may store it twice. */
  ambiguous: boolean;
}

const rule = (kind: FailureKind, ambiguous = false): ErrorRule => ({ kind, ambiguous });
const retry = rule('retryable');
const retryUnknown = rule('retryable', true);
const invalid = rule('invalid');
const stream = rule('stream');

/**
 * Every error the producer recognises, by the service's error name or Node's error code. Anything not
 * here is retried until the TTL: an error is transient until proven permanent.
 *
 * @example
 * ```ts
 * import { ERROR_TABLE } from 'rxjs-kinesis';
 * const permanent = Object.entries(ERROR_TABLE).filter(([, r]) => r.kind === 'stream').map(([code]) => code); // for an alert rule
 * ```
 */
export const ERROR_TABLE: Readonly<Record<string, ErrorRule>> = {
  // The service refused the request before storing anything; later it may not.
  ProvisionedThroughputExceededException: retry,
  ThrottlingException: retry,
  Throttling: retry,
  LimitExceededException: retry,
  KMSThrottlingException: retry,
  ResourceInUseException: retry, // the stream is being updated (resharding, encryption)
  KMSInvalidStateException: retry, // a key being imported or re-enabled
  ExpiredTokenException: retry, // credentials rotate: the provider fetches new ones
  ExpiredToken: retry,
  RequestExpired: retry, // signed too long ago (a clock or a stalled process); the SDK corrects clock skew
  TokenRefreshRequired: retry,
  // The service failed while handling the request: it may have stored the records.
  InternalFailure: retryUnknown,
  InternalFailureException: retryUnknown,
  InternalServerError: retryUnknown,
  ServiceUnavailable: retryUnknown,
  ServiceUnavailableException: retryUnknown,
  // The request never reached the service: refused, no route, no name.
  ECONNREFUSED: retry,
  ENOTFOUND: retry,
  EAI_AGAIN: retry,
  EAI_FAIL: retry,
  ENETUNREACH: retry,
  EHOSTUNREACH: retry,
  ENETDOWN: retry,
  EHOSTDOWN: retry,
  EADDRNOTAVAIL: retry,
  UND_ERR_CONNECT_TIMEOUT: retry,
  CredentialsProviderError: retry, // one provider failed (instance metadata, SSO, STS); the next call may succeed
  // The request was sent, then the connection or the wait broke: its fate is unknown.
  RequestTimeout: retryUnknown,
  RequestTimeoutException: retryUnknown,
  TimeoutError: retryUnknown,
  AbortError: retryUnknown,
  NetworkError: retryUnknown,
  ECONNRESET: retryUnknown,
  ECONNABORTED: retryUnknown,
  EPIPE: retryUnknown,
  ETIMEDOUT: retryUnknown,
  ESOCKETTIMEDOUT: retryUnknown,
  ERR_STREAM_PREMATURE_CLOSE: retryUnknown,
  UND_ERR_SOCKET: retryUnknown,
  ERR_HTTP2_STREAM_ERROR: retryUnknown,
  ERR_HTTP2_STREAM_CANCEL: retryUnknown,
  ERR_HTTP2_SESSION_ERROR: retryUnknown,
  ERR_HTTP2_GOAWAY_SESSION: retryUnknown,
  ERR_HTTP2_INVALID_SESSION: retryUnknown,
  ERR_HTTP2_ERROR: retryUnknown,
  ERR_HTTP2_PING_CANCEL: retryUnknown,
  UnreadableAnswer: retryUnknown, // an answer cut short or not JSON
  // The request breaks the API's rules: one of its entries may be the cause.
  ValidationException: invalid,
  InvalidArgumentException: invalid,
  SerializationException: invalid,
  RequestEntityTooLarge: invalid,
  // Nothing gets through until someone acts.
  ResourceNotFoundException: stream,
  AccessDeniedException: stream,
  UnrecognizedClientException: stream,
  InvalidSignatureException: stream,
  InvalidClientTokenId: stream,
  MissingAuthenticationToken: stream,
  IncompleteSignature: stream,
  OptInRequired: stream,
  KMSDisabledException: stream,
  KMSNotFoundException: stream,
  KMSAccessDeniedException: stream,
  KMSOptInRequired: stream,
  CredentialsError: stream, // no credentials anywhere in the chain: see the message for what to set
  ConfigError: stream, // the client cannot make a request at all (no region)
};

/** What an error not in the table is: retried until the TTL, its fate unknown. */
export const UNKNOWN_ERROR: ErrorRule = retryUnknown;

/** The row for a code, or undefined. */
export const ruleOf = (code: string): ErrorRule | undefined => (Object.hasOwn(ERROR_TABLE, code) ? ERROR_TABLE[code] : undefined);
