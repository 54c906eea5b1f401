/** A PutRecords request finished (whatever its entries' fate). */
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

/** Failed entries of one request wait `delayMs` and go back through routing. */
export interface RetryScheduledSignal {
  type: 'retryScheduled';
  shardId: string;
  /** The attempt that failed, from 1. */
  attempt: number;
  delayMs: number;
  errorCode: string;
  count: number;
}

/** A shard's budget held records back: locally by the limiter, or by the service. */
export interface ThrottledSignal {
  type: 'throttled';
  shardId: string;
  source: 'local' | 'service';
  count: number;
  /** The shard's current allowed rate, in records per second, after this throttle. */
  rate: number;
}

/** Values failed with `Dropped` by the overflow policy. */
export interface DroppedSignal {
  type: 'dropped';
  count: number;
  policy: 'dropOldest' | 'dropIncoming';
}

/** Values failed with `Expired`: their retries ran past `recordTtlMs`. */
export interface ExpiredSignal {
  type: 'expired';
  shardId: string | undefined;
  count: number;
  errorCode: string;
}

/** The shard map was (re)loaded. */
export interface ShardMapRefreshedSignal {
  type: 'shardMapRefreshed';
  version: number;
  shards: number;
  added: string[];
  removed: string[];
  reason: string;
}

/** Writing to the stream is impossible (it does not exist, access denied): every held value failed. */
export interface StreamErrorSignal {
  type: 'streamError';
  code: string;
  message: string;
}

/**
 * Where the shards' budgets are kept changed: `'shared'` with every producer process through Redis
 * (`limits: { redis }`), or `'local'` while Redis is unreachable, each process then using `share` of
 * each shard's budget by itself. Nothing held is lost in either change.
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

/** Everything the producer reports as it works; switch on `type`. */
export type ProducerSignal =
  | BatchSentSignal
  | RetryScheduledSignal
  | ThrottledSignal
  | DroppedSignal
  | ExpiredSignal
  | ShardMapRefreshedSignal
  | StreamErrorSignal
  | LimitsSignal;
