import { backoffDelay, type RetryOptions } from './backoff.js';

/** What the TTL and the backoff need of a record. */
export interface Aged {
  /** When it arrived (scheduler clock, ms): its TTL counts from here. */
  createdAt: number;
  /** Requests that carried it so far. */
  attempts: number;
}

/** Whether the record's TTL has ended at `now`. */
export const isLate = (record: Aged, now: number, recordTtlMs: number): boolean => now - record.createdAt >= recordTtlMs;

/**
 * When a failed request's records go again, and which of them still can: a full-jitter backoff from the
 * highest attempt among them; the records whose TTL ends before the retry is due are `late`.
 */
export function planRetry<R extends Aged>(records: readonly R[], now: number, recordTtlMs: number, retry: Required<RetryOptions>) {
  const attempt = records.reduce((n, r) => Math.max(n, r.attempts), 1);
  const delayMs = backoffDelay(attempt, retry.baseDelayMs, retry.maxDelayMs, retry.random);
  const keep: R[] = [];
  const late: R[] = [];
  for (const r of records) (isLate(r, now + delayMs, recordTtlMs) ? late : keep).push(r);
  return { attempt, delayMs, keep, late };
}
