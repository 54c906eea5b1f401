/**
 * How failed entries wait before they are tried again.
 *
 * @example
 * ```ts
 * import { createProducer, type RetryOptions } from 'rxjs-kinesis';
 * const retry: RetryOptions = { baseDelayMs: 50, maxDelayMs: 2_000, random: () => 0.5 }; // the same waits on every run
 * const producer = createProducer({ client, streamName: 'events', retry });
 * ```
 */
export interface RetryOptions {
  /** Cap of the first wait, in ms. Default 100. */
  baseDelayMs?: number;
  /** Largest wait, in ms. Default 5000. */
  maxDelayMs?: number;
  /** Source of randomness in [0, 1). Default `Math.random`; inject one to replay. */
  random?: () => number;
}

/**
 * Full-jitter exponential backoff: a uniform wait in [0, min(max, base * 2^(attempt-1))), so that
 * producers throttled together do not come back together.
 *
 * @param attempt the attempt that failed, from 1
 *
 * @example
 * ```ts
 * backoffDelay(3, 100, 5000, Math.random); // a wait in [0, 400) ms
 * backoffDelay(3, 100, 5000, () => 0.5); // 200
 * ```
 */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(attempt - 1, 30));
  return Math.floor(random() * cap);
}
