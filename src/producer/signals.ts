/**
 * A PutRecords request finished (whatever its entries' fate).
 *
 * @example
 * ```ts
 * import type { BatchSentSignal } from 'rxjs-kinesis';
 * const logBatch = (s: BatchSentSignal) => console.log(`${s.shardId}: ${s.succeeded}/${s.records} in ${s.durationMs} ms`);
 * producer.signals$.subscribe((s) => s.type === 'batchSent' && logBatch(s));
 * ```
 */
export interface BatchSentSignal {
  type: 'batchSent';
  shardId: string;
  /** Kinesis records in the request (an aggregate counts once). */
  records: number;
  /** User records they carry. */
  userRecords: number;
  bytes: number;
  succeeded: number;
  retried: number;
  failed: number;
  /** Time from send to answer, in ms. */
  durationMs: number;
  /** Request-level error code, when the whole request failed. */
  errorCode?: string;
}

/**
 * Failed entries of one request wait `delayMs` and go back through routing.
 *
 * @example
 * ```ts
 * import type { RetryScheduledSignal } from 'rxjs-kinesis';
 * const onRetry = (s: RetryScheduledSignal) => console.warn(`${s.count} entries of ${s.shardId} again in ${s.delayMs} ms (${s.errorCode}, attempt ${s.attempt})`);
 * ```
 */
export interface RetryScheduledSignal {
  type: 'retryScheduled';
  shardId: string;
  /** The attempt that failed, from 1. */
  attempt: number;
  delayMs: number;
  errorCode: string;
  count: number;
}

/**
 * A shard's budget held records back: locally by the limiter, or by the service.
 *
 * @example
 * ```ts
 * import type { ThrottledSignal } from 'rxjs-kinesis';
 * // A local throttle is the limiter pacing as planned; a service one says the shard had less room than assumed.
 * const onThrottle = (s: ThrottledSignal) => s.source === 'service' && console.warn(`${s.shardId} throttled by Kinesis, now ${s.rate} records/s`);
 * ```
 */
export interface ThrottledSignal {
  type: 'throttled';
  shardId: string;
  source: 'local' | 'service';
  count: number;
  /** The shard's current allowed rate, in records per second, after this throttle. */
  rate: number;
}

/**
 * Values failed with `Dropped` by the overflow policy.
 *
 * @example
 * ```ts
 * import type { DroppedSignal } from 'rxjs-kinesis';
 * let dropped = 0;
 * const countDropped = (s: DroppedSignal) => (dropped += s.count); // only with overflow 'dropOldest' or 'dropIncoming'
 * ```
 */
export interface DroppedSignal {
  type: 'dropped';
  count: number;
  policy: 'dropOldest' | 'dropIncoming';
}

/**
 * Values failed with `Expired`: their retries ran past `recordTtlMs`.
 *
 * @example
 * ```ts
 * import type { ExpiredSignal } from 'rxjs-kinesis';
 * const onExpired = (s: ExpiredSignal) => console.error(`${s.count} values expired on ${s.shardId ?? 'no shard'}; last error ${s.errorCode ?? 'none'}`);
 * ```
 */
export interface ExpiredSignal {
  type: 'expired';
  shardId: string | undefined;
  count: number;
  /** The code of the last failed attempt; absent when the values waited in the producer without one. */
  errorCode?: string;
}

/**
 * The shard map was (re)loaded.
 *
 * @example
 * ```ts
 * import type { ShardMapRefreshedSignal } from 'rxjs-kinesis';
 * const onReshard = (s: ShardMapRefreshedSignal) =>
 *   console.info(`shard map v${s.version}, ${s.shards} shards: +[${s.added}] -[${s.removed}] (${s.reason})`);
 * ```
 */
export interface ShardMapRefreshedSignal {
  type: 'shardMapRefreshed';
  version: number;
  shards: number;
  added: string[];
  removed: string[];
  reason: string;
}

/**
 * Writing to the stream is impossible (it does not exist, access denied): every held value failed.
 *
 * @example
 * ```ts
 * import type { StreamErrorSignal } from 'rxjs-kinesis';
 * const page = (s: StreamErrorSignal) => alerts.send(`events stream unusable: ${s.code}: ${s.message}`);
 * producer.signals$.subscribe((s) => s.type === 'streamError' && page(s));
 * ```
 */
export interface StreamErrorSignal {
  type: 'streamError';
  code: string;
  message: string;
}

/**
 * Where the shards' budgets are kept changed: `'shared'` with every producer process through Redis
 * (`limits: { redis }`), or `'local'` while Redis is unreachable, each process then using `share` of
 * each shard's budget by itself. Nothing held is lost in either change.
 *
 * @example
 * ```ts
 * import type { LimitsSignal } from 'rxjs-kinesis';
 * const onLimits = (s: LimitsSignal) =>
 *   console.warn(s.mode === 'local' ? `Redis unreachable (${s.reason}): using ${s.share} of each shard` : `sharing with ${s.processes} processes`);
 * ```
 */
export interface LimitsSignal {
  type: 'limits';
  mode: 'shared' | 'local';
  reason: string;
  /** Producer processes last seen sharing the stream's budget, this one included (undefined before Redis answered). */
  processes: number | undefined;
  /** In `'local'` mode: the fraction of each shard's budget this process uses alone. */
  share?: number;
}

/**
 * Everything the producer reports as it works; switch on `type`.
 *
 * @example
 * ```ts
 * import type { ProducerSignal } from 'rxjs-kinesis';
 * function describe(s: ProducerSignal): string {
 *   if (s.type === 'batchSent') return `${s.shardId}: ${s.succeeded} sent, ${s.retried} retried`;
 *   if (s.type === 'throttled') return `${s.shardId}: throttled (${s.source})`;
 *   return s.type;
 * }
 * ```
 */
export type ProducerSignal =
  | BatchSentSignal
  | RetryScheduledSignal
  | ThrottledSignal
  | DroppedSignal
  | ExpiredSignal
  | ShardMapRefreshedSignal
  | StreamErrorSignal
  | LimitsSignal;
