import Bottleneck from 'bottleneck';
import type { SchedulerLike, Subscription } from 'rxjs';
import type { RedisLink } from './redis-link.js';
import { updateSharedRate, type SharedRateParams } from './redis-scripts.js';
import { RATE_SYNC_MS, SHARED_HEARTBEAT_MS, SHARED_KEY_TTL_MS, limiterId } from './shared-limits.js';

/** What every shard of one producer's shared limits has in common. */
export interface SharedShardContext {
  key: string;
  /** Highest rate for all processes together, records per second. */
  top: number;
  /** Most tokens the shared bucket holds. */
  bucketMax: number;
  increase: { amount: number; intervalMs: number };
  /** Shared AIMD, or undefined for a fixed rate. */
  rateParams: SharedRateParams | undefined;
  scheduler: SchedulerLike;
  link: RedisLink;
  /** Whether Redis is reachable now. */
  isShared(): boolean;
}

/** A grant slower than this waited for the shared bucket to refill, in ms. */
const WAITED_MS = 20;
const ignore = () => undefined;

export type SharedShard = ReturnType<typeof createSharedShard>;

/**
 * One shard's budget in Redis: a clustered Bottleneck limiter every process meets on (same id),
 * refilled by Redis at the top rate, and the shard's shared AIMD rate, enforced by taking what a
 * lower rate owes out of the reservoir with `incrementReservoir` (`updateSettings` would stop the refill).
 */
export function createSharedShard(ctx: SharedShardContext, shardId: string) {
  const { top, rateParams } = ctx;
  const rateKey = `${limiterId(ctx.key, shardId)}:rate`;
  const limiter = new Bottleneck({
    id: limiterId(ctx.key, shardId),
    datastore: 'ioredis',
    connection: ctx.link.connection,
    maxConcurrent: null,
    minTime: 0,
    reservoir: 0, // empty at first, as the local bucket: the service's may be
    reservoirIncreaseAmount: ctx.increase.amount,
    reservoirIncreaseInterval: ctx.increase.intervalMs,
    reservoirIncreaseMaximum: ctx.bucketMax,
    heartbeatInterval: SHARED_HEARTBEAT_MS,
    timeout: SHARED_KEY_TTL_MS,
  });
  limiter.on('error', () => ctx.link.suspect());
  limiter.ready().catch(ignore);
  let rate = top;
  let lastDecrease = -Infinity;
  let waiting = 0;
  let succeeded = false;
  let behind = false;
  let sync: Subscription | undefined;
  let disposed = false;
  /** Tokens charged ahead of the weights asked, below one: Bottleneck's weights are whole. */
  let credit = 0;

  function startSync(): void {
    if (rateParams === undefined || sync !== undefined || disposed) return;
    sync = ctx.scheduler.schedule(() => {
      sync = undefined;
      syncRate(succeeded ? 'succeeded' : 'sync');
      succeeded = false;
      if (waiting > 0) startSync();
    }, RATE_SYNC_MS);
  }

  /** Reports to the shared rate and takes what it owes out of the shared reservoir. */
  function syncRate(op: 'sync' | 'throttled' | 'succeeded'): void {
    if (!ctx.isShared() || rateParams === undefined) return;
    updateSharedRate(ctx.link.client, rateKey, op, Date.now(), rateParams)
      .then(async (answer) => {
        rate = answer.rate;
        const cut = answer.debit + (answer.empty ? Math.max(0, (await limiter.currentReservoir()) ?? 0) : 0);
        if (cut > 0) await limiter.incrementReservoir(-cut);
      })
      .catch(() => ctx.link.suspect());
  }

  return {
    /** The shard's shared rate as Redis last told it, records per second. */
    get rate() {
      return rate;
    },
    /** Whether a batch would wait: one already does, or the last one waited for the bucket to refill. */
    get busy() {
      return waiting > 0 || behind;
    },
    /**
     * Waits until the shared bucket grants `weight`, then calls `onGrant`; if that declines (the
     * ticket was granted elsewhere first) the tokens go back. A weight above the bucket's size is taken
     * in bucket-sized pieces, so a big record is charged in full. Rejects when Redis fails.
     */
    async take(weight: number, onGrant: () => boolean): Promise<void> {
      const asked = Date.now();
      // Bottleneck counts whole tokens: a fractional weight is charged whole and the excess is credited to the next.
      const charge = Math.max(0, Math.ceil(weight - credit - 1e-9));
      credit += charge - weight;
      waiting++;
      startSync();
      try {
        let taken = 0;
        for (; charge - taken > ctx.bucketMax; taken += ctx.bucketMax) await limiter.schedule({ weight: ctx.bucketMax }, async () => undefined);
        const last = charge - taken;
        await limiter.schedule({ weight: last }, async () => {
          behind = Date.now() - asked > WAITED_MS;
          if (onGrant()) return;
          credit -= charge - weight;
          await limiter.incrementReservoir(charge).catch(ignore);
        });
      } finally {
        waiting--;
      }
    },
    throttled(): number {
      if (rateParams === undefined) return rate;
      // Shown at once; Redis's answer, which counts every process's throttles, replaces it.
      const now = Date.now();
      if (now - lastDecrease >= rateParams.cooldownMs) {
        lastDecrease = now;
        rate = Math.max(rateParams.floor, rate * rateParams.decreaseFactor);
      }
      syncRate('throttled');
      return rate;
    },
    succeeded(): void {
      // At the top there is nothing to regain; a decrease by another process shows at the next sync.
      if (rateParams === undefined || rate >= top) return;
      succeeded = true;
      startSync();
    },
    dispose(): void {
      disposed = true;
      sync?.unsubscribe();
      void limiter.stop({ dropWaitingJobs: true }).catch(ignore);
    },
  };
}
