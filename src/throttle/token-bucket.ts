/**
 * A continuously refilled token bucket: the one count of a shard's tokens. Fractions are kept, so no
 * token is lost to rounding; a request heavier than the bucket lets it fill up to that request.
 */
export function createTokenBucket(tokens: number, now: number) {
  let at = now;
  return {
    get tokens() {
      return tokens;
    },
    /** Adds what `rate` per second gathered since the last look, up to `top`. */
    refill(rate: number, top: number, time: number): void {
      if (time > at && tokens < top) tokens = Math.min(top, tokens + (rate * (time - at)) / 1000);
      at = Math.max(at, time);
    },
    take(weight: number): void {
      tokens -= weight;
    },
    /** Empties the bucket, as the service's is when it throttles. */
    empty(): void {
      tokens = Math.min(tokens, 0);
    },
    /** Ms until `weight` tokens are there at `rate` per second. */
    waitFor: (weight: number, rate: number): number => (tokens >= weight ? 0 : ((weight - tokens) / rate) * 1000),
  };
}

export type TokenBucket = ReturnType<typeof createTokenBucket>;

/**
 * Weight of a batch against a budget of `recordsPerSecond` and `bytesPerSecond`, in record units, with
 * its fraction: a bytes-bound batch of 12 values of 2 KiB weighs 23.6, and rounding it up to 24 would
 * leave 1.8% of the budget unused.
 */
export function batchWeight(records: number, bytes: number, recordsPerSecond: number, bytesPerSecond: number): number {
  return Math.max(records, (bytes * recordsPerSecond) / bytesPerSecond);
}

/**
 * Bottleneck's reservoir increase for a rate of `ratePerSecond`: whole tokens per whole-ms interval
 * (Bottleneck keeps both as integers), the fastest such pair not above the rate with an interval of
 * at most `maxIntervalMs`. Rates below one token per `maxIntervalMs` get one token per longer interval.
 */
export function increaseSchedule(ratePerSecond: number, maxIntervalMs: number): { amount: number; intervalMs: number } {
  let best = { amount: 0, intervalMs: 1 };
  for (let intervalMs = 1; intervalMs <= maxIntervalMs; intervalMs++) {
    const amount = Math.floor((ratePerSecond * intervalMs) / 1000 + 1e-9);
    if (amount * best.intervalMs > best.amount * intervalMs) best = { amount, intervalMs };
  }
  return best.amount > 0 ? best : { amount: 1, intervalMs: Math.ceil(1000 / ratePerSecond) };
}
