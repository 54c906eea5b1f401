/** What the send path reports as it works. */

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
  /** User records in the Kinesis records stored. */
  userRecordsSucceeded: number;
  /** Kinesis records refused in this answer, per error code (every record of a request that failed). */
  errors?: Record<string, number>;
  /** User records in them, per error code. */
  userRecordErrors?: Record<string, number>;
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

/** Every signal the send path emits. */
export type SendSignal = BatchSentSignal | ThrottledSignal;
