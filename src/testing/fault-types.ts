/**
 * Faults injected at random; rates are probabilities in [0, 1]. The request-level ones (hang, reset, goaway,
 * http500, http503, throttle, truncate, latency) apply to the `operations` named, PutRecords and PutRecord by
 * default; `internalFailureRate` to PutRecords and PutRecord entries.
 *
 * @example
 * ```ts
 * import { startLocalKinesis, type Faults } from 'rxjs-kinesis/testing';
 * const flaky: Partial<Faults> = { throttleRequestRate: 0.1, latencyMs: 20, latencyJitterMs: 30 };
 * const kinesis = await startLocalKinesis({ faults: flaky });
 * kinesis.setFaults({ resetRate: 0.05, operations: ['ListShards', 'PutRecords'] }); // ListShards can fail too
 * ```
 */
export interface Faults {
  /** Per entry: fail with `InternalFailure` instead of storing it. Default: 0. */
  internalFailureRate: number;
  /**
   * Per request: answer 400 for the whole request, `ProvisionedThroughputExceededException` for PutRecords,
   * PutRecord and GetRecords, `LimitExceededException` for other operations. Default: 0.
   */
  throttleRequestRate: number;
  /** Per request: answer 500 `InternalFailure`. Default: 0. */
  http500Rate: number;
  /** Per request: answer 503 `ServiceUnavailable`. Default: 0. */
  http503Rate: number;
  /**
   * Per request: end it without an answer. HTTP/2: the stream is reset (RST_STREAM INTERNAL_ERROR; the SDK
   * throws `ERR_HTTP2_STREAM_ERROR`). HTTP/1.1: the connection is destroyed (`ECONNRESET`, "socket hang up").
   * Default: 0.
   */
  resetRate: number;
  /**
   * Per request: HTTP/2: send GOAWAY (NO_ERROR) on the session and close it without answering; the SDK
   * throws "http2 request did not get a response". HTTP/1.1: as `resetRate`. Default: 0.
   */
  goawayRate?: number;
  /** Per request: never answer; the request stays open until the client gives up. Default: 0. */
  hangRate: number;
  /**
   * Per request: serve it as usual (PutRecords entries are admitted and stored), then cut its 200 answer
   * mid-body: headers with the full content-length, half the body, then the stream (HTTP/2) or connection
   * (HTTP/1.1) destroyed. The client cannot know what was stored. Default: 0.
   */
  truncateRate?: number;
  /** Added to every answer, in milliseconds. Default: 0. */
  latencyMs: number;
  /** Uniform random extra latency in [0, latencyJitterMs), in milliseconds. Default: 0. */
  latencyJitterMs: number;
  /**
   * Operations the request-level faults apply to, by name (`'ListShards'`, `'PutRecords'`, ...). Faults on
   * operations the front passes on to kinesalite happen before it does. Default: `['PutRecords', 'PutRecord']`.
   */
  operations?: string[];
}

/**
 * Faults injected since the start or the last reset, by kind: to check that a test met the failures it
 * meant to.
 *
 * @example
 * ```ts
 * import type { FaultStats } from 'rxjs-kinesis/testing';
 * const failedRequests = (f: FaultStats) => f.throttledRequests + f.http500 + f.http503 + f.resets + f.goaways + f.hangs;
 * assert.ok(failedRequests(kinesis.stats().faults) > 0, 'the run met at least one injected fault');
 * ```
 */
export interface FaultStats {
  /** Entries failed with `InternalFailure` (the other counts are of whole requests). */
  internalFailures: number;
  /** Requests answered 400 `ProvisionedThroughputExceededException` or `LimitExceededException`. */
  throttledRequests: number;
  /** Requests answered 500 `InternalFailure`. */
  http500: number;
  /** Requests answered 503 `ServiceUnavailable`. */
  http503: number;
  /** Requests ended without an answer by `resetRate`. */
  resets: number;
  /** Requests ended by a GOAWAY (`goawayRate`). */
  goaways: number;
  /** Requests left without an answer. */
  hangs: number;
  /** Requests served whose 200 answer was cut mid-body (`truncateRate`). */
  truncated: number;
  /** Requests answered with an error set by `failNext`. */
  failNext: number;
  /** Outages started with `outage()`. */
  outages: number;
  /** Requests that arrived during an outage in `hang` or `reset` mode; none was answered. */
  outageRequests: number;
  /** Connections destroyed as they arrived during an outage in `reset` mode. */
  refusedConnections: number;
}

/**
 * A request-level error as the JSON 1.1 protocol carries it: the HTTP status, and the exception `type` (`__type`)
 * the SDK throws by name with `message`.
 *
 * @example
 * ```ts
 * import type { ErrorAnswer } from 'rxjs-kinesis/testing';
 * const expired: ErrorAnswer = { status: 400, type: 'ExpiredTokenException', message: 'The security token included in the request is expired' };
 * kinesis.failNext('PutRecords', expired, 2);
 * ```
 */
export interface ErrorAnswer {
  status: number;
  type: string;
  message?: string;
}

/**
 * How the endpoint is down during an outage. `'refuse'`: open connections are destroyed and the listening socket
 * closed, so connections are refused (`ECONNREFUSED`) until it listens again on the same port. `'hang'`:
 * connections and requests are taken and none answered; those still open when it ends are reset. `'reset'`:
 * every connection and request is destroyed as it arrives.
 *
 * @example
 * ```ts
 * import type { OutageMode } from 'rxjs-kinesis/testing';
 * for (const mode of ['refuse', 'hang', 'reset'] satisfies OutageMode[]) await kinesis.outage({ mode, ms: 500 });
 * ```
 */
export type OutageMode = 'refuse' | 'hang' | 'reset';

/**
 * An outage of the whole endpoint (every operation), for `ms` milliseconds.
 *
 * @example
 * ```ts
 * import type { OutageOptions } from 'rxjs-kinesis/testing';
 * const blackout: OutageOptions = { mode: 'hang', ms: 2_000 };
 * await kinesis.outage(blackout); // resolves once the endpoint answers again
 * ```
 */
export interface OutageOptions {
  mode: OutageMode;
  /** How long the outage lasts, in milliseconds; `endOutage()` ends it sooner. */
  ms: number;
}
