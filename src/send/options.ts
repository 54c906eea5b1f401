import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { DEFAULTS } from '../defaults.js';
import type { StreamRef } from '../kinesis/shard-map.js';
import type { RetryOptions } from './backoff.js';

/**
 * What the send path needs, whoever runs it: the producer or `putBatches`.
 *
 * @example
 * ```ts
 * import type { SendOptions } from 'rxjs-kinesis';
 * const send: SendOptions = { client, streamName: 'events', recordTtlMs: 60_000, maxInFlightPerShard: 2 };
 * const producer = createProducer({ ...send, aggregation: {} }); // the same options fit putBatches(send)
 * ```
 */
export interface SendOptions extends StreamRef {
  /** The AWS SDK v3 client to send with. */
  client: KinesisClient;
  /** A value not accepted this long after it arrived fails with `Expired`, in ms. Default 30000. */
  recordTtlMs?: number;
  /** Backoff between retries of failed entries: full jitter. Default `{ baseDelayMs: 100, maxDelayMs: 5000 }`. */
  retry?: RetryOptions;
  /** Bound on one request; a request still unanswered is aborted and retried, in ms. Default 10000. */
  requestTimeoutMs?: number;
  /** PutRecords requests in flight per shard. Default 4. */
  maxInFlightPerShard?: number;
  /** PutRecords requests in flight in all. Default 64. */
  maxConcurrentRequests?: number;
  /** Clock and timers (linger, backoff, timeouts). Default `asyncScheduler`; tests pass a virtual one. */
  scheduler?: SchedulerLike;
}

/** Checks of option values, each naming the option as the caller passed it. */
export function optionChecks(caller: string) {
  const fail = (name: string, rule: string, value: unknown): never => {
    throw new RangeError(`${caller}: ${name} must be ${rule}; got ${typeof value === 'string' ? `'${value}'` : String(value)}`);
  };
  return {
    fail,
    positiveInteger: (name: string, value: number) => (Number.isInteger(value) && value >= 1 ? value : fail(name, 'a positive integer', value)),
    atLeastZero: (name: string, value: number) => (Number.isFinite(value) && value >= 0 ? value : fail(name, 'a finite number >= 0', value)),
    positive: (name: string, value: number) => (Number.isFinite(value) && value > 0 ? value : fail(name, 'a finite number > 0', value)),
    fraction: (name: string, value: number, rule = 'in (0, 1]') => (value > 0 && value <= 1 ? value : fail(name, `a fraction ${rule}`, value)),
    oneOf: <V extends string>(name: string, value: V, allowed: readonly V[]) => (allowed.includes(value) ? value : fail(name, allowed.map((a) => `'${a}'`).join(', or '), value)),
  };
}

/** Checks the send path's options once, so a bad one throws when the pipeline is made, not mid-stream. */
export function resolveSendOptions(options: SendOptions, caller: string) {
  const check = optionChecks(caller);
  if (!options || typeof options.client?.send !== 'function') throw new TypeError(`${caller} needs a KinesisClient as \`client\``);
  if (!options.streamName && !options.streamARN) throw new TypeError(`${caller} needs \`streamName\` or \`streamARN\``);
  const scheduler = options.scheduler ?? asyncScheduler;
  if (typeof scheduler.now !== 'function' || typeof scheduler.schedule !== 'function') check.fail('scheduler', 'an RxJS SchedulerLike', scheduler);
  const baseDelayMs = check.atLeastZero('retry.baseDelayMs', options.retry?.baseDelayMs ?? DEFAULTS.retry.baseDelayMs);
  const maxDelayMs = check.atLeastZero('retry.maxDelayMs', options.retry?.maxDelayMs ?? DEFAULTS.retry.maxDelayMs);
  const random = options.retry?.random ?? Math.random;
  if (typeof random !== 'function') check.fail('retry.random', 'a function returning a number in [0, 1)', random);
  return {
    client: options.client,
    stream: { streamName: options.streamName, streamARN: options.streamARN },
    scheduler,
    retry: { baseDelayMs, maxDelayMs, random },
    recordTtlMs: check.positiveInteger('recordTtlMs', options.recordTtlMs ?? DEFAULTS.recordTtlMs),
    requestTimeoutMs: check.positiveInteger('requestTimeoutMs', options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs),
    maxInFlightPerShard: check.positiveInteger('maxInFlightPerShard', options.maxInFlightPerShard ?? DEFAULTS.maxInFlightPerShard),
    maxConcurrentRequests: check.positiveInteger('maxConcurrentRequests', options.maxConcurrentRequests ?? DEFAULTS.maxConcurrentRequests),
  };
}

export type ResolvedSendOptions = ReturnType<typeof resolveSendOptions>;
