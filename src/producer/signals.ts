import type { BatchSentSignal, ThrottledSignal } from '../send/signals.js';
import type { LimitsSignal } from '../throttle/signals.js';

export type { BatchSentSignal, LimitsSignal, ThrottledSignal };

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
