/**
 * The arithmetic of a continuously refilled token bucket: how many tokens `elapsed` ms at `rate`
 * per second add, carrying fractions so no token is lost to rounding.
 */
export function createRefill() {
  let carry = 0;
  return (rate: number, elapsedMs: number): number => {
    const exact = (rate * elapsedMs) / 1000 + carry;
    const whole = Math.floor(exact);
    carry = exact - whole;
    return whole;
  };
}

/** Weight of a batch against a budget of `recordsPerSecond` and `bytesPerSecond`, in record units. */
export function batchWeight(records: number, bytes: number, recordsPerSecond: number, bytesPerSecond: number): number {
  return Math.max(records, Math.ceil((bytes * recordsPerSecond) / bytesPerSecond));
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
