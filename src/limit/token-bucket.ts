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
