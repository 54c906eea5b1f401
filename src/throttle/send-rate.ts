/** Length of one measurement, in ms: long enough to span several requests of a busy shard. */
export const SEND_RATE_WINDOW_MS = 1000;

/**
 * Each shard's measured send rate, in limiter units (records/s) accepted per second, over windows in
 * which the shard had records waiting: what a shard takes when it is kept busy. An idle window says
 * nothing about capacity and is not counted. Until measured, a shard is assumed to take `prior`.
 */
export function createSendRate(prior: number, now: () => number) {
  const shards = new Map<string, { since: number; weight: number; rate: number }>();
  return {
    rate: (shardId: string | undefined): number => (shardId === undefined ? prior : (shards.get(shardId)?.rate ?? prior)),
    /** A request of the shard was answered with `weight` accepted; `backlogged`: more waited for the shard meanwhile. */
    sent(shardId: string, weight: number, backlogged: boolean): void {
      const t = now();
      let s = shards.get(shardId);
      if (s === undefined) shards.set(shardId, (s = { since: t, weight: 0, rate: prior }));
      if (!backlogged) {
        s.since = t;
        s.weight = 0;
        return;
      }
      s.weight += weight;
      const elapsed = t - s.since;
      if (elapsed < SEND_RATE_WINDOW_MS) return;
      // Half the new window, half the history: one slow window does not halve the estimate.
      s.rate = (s.rate + (s.weight * 1000) / elapsed) / 2;
      s.since = t;
      s.weight = 0;
    },
  };
}
