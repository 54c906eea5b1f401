import Bottleneck from 'bottleneck';
import type { SchedulerLike, Subscription } from 'rxjs';
import { bucketSize } from './local-limiters.js';
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
/**
 * The limiter's state is gone from Redis (restarted, keys expired, or this client timed out).
 * Bottleneck re-creates it itself only for the bare messages, but Redis 7 prefixes "ERR " to script
 * errors (bottleneck#205, #212): the limiter is renewed here instead.
 */
const STATE_LOST = /SETTINGS_KEY_NOT_FOUND|UNKNOWN_CLIENT/;
const ignore = () => undefined;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export type SharedShard = ReturnType<typeof createSharedShard>;

/**
 * One shard's budget in Redis: a clustered Bottleneck limiter every process meets on (same id),
 * refilled by Redis at the top rate, and the shard's shared AIMD rate, enforced by taking what a
 * lower rate owes out of the reservoir with `incrementReservoir` (`updateSettings` would stop the refill).
 */
export function createSharedShard(ctx: SharedShardContext, shardId: string) {
  const { top, rateParams } = ctx;
  const rateKey = `${limiterId(ctx.key, shardId)}:rate`;
  let limiter = createLimiter();
  let rate = top;
  let lastDecrease = -Infinity;
  let waiting = 0;
  let succeeded = false;
  let behind = false;
  let sync: Subscription | undefined;
  let disposed = false;

  function createLimiter(): Bottleneck {
    const created = new Bottleneck({
      id: limiterId(ctx.key, shardId),
      datastore: 'ioredis',
      connection: ctx.link.connection,
      maxConcurrent: null,
      minTime: 0,
      reservoir: bucketSize(top),
      reservoirIncreaseAmount: ctx.increase.amount,
      reservoirIncreaseInterval: ctx.increase.intervalMs,
      reservoirIncreaseMaximum: ctx.bucketMax,
      heartbeatInterval: SHARED_HEARTBEAT_MS,
      timeout: SHARED_KEY_TTL_MS,
    });
    created.on('error', (e) => (STATE_LOST.test(message(e)) ? renew(created) : ctx.link.suspect()));
    created.ready().catch(ignore);
    return created;
  }

  /** Replaces a limiter whose Redis state is gone: a fresh one re-creates it, or joins the one re-created. */
  function renew(failed: Bottleneck): void {
    // Only while Redis answers: retiring unsubscribes, which must not stay pending on a dead connection.
    if (failed !== limiter || disposed || !ctx.isShared()) return;
    limiter = createLimiter();
    void failed.stop({ dropWaitingJobs: true }).catch(ignore);
    void Promise.resolve(failed.disconnect(false)).catch(ignore);
  }

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
    const l = limiter;
    updateSharedRate(ctx.link.client, rateKey, op, Date.now(), rateParams)
      .then(async (answer) => {
        rate = answer.rate;
        const cut = answer.debit + (answer.empty ? Math.max(0, (await l.currentReservoir()) ?? 0) : 0);
        if (cut > 0) await l.incrementReservoir(-cut);
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
     * ticket was granted elsewhere first) the tokens go back. Rejects when Redis fails.
     */
    async take(weight: number, onGrant: () => boolean): Promise<void> {
      const w = Math.min(weight, ctx.bucketMax);
      waiting++;
      startSync();
      try {
        for (let attempt = 0; ; attempt++) {
          const l = limiter;
          const asked = Date.now();
          try {
            return await l.schedule({ weight: w }, async () => {
              behind = Date.now() - asked > WAITED_MS;
              if (!onGrant()) await l.incrementReservoir(w).catch(ignore);
            });
          } catch (e) {
            if (attempt > 0 || !STATE_LOST.test(message(e)) || !ctx.isShared()) throw e;
            renew(l);
          }
        }
      } finally {
        waiting--;
      }
    },
    /** Redis is back: it may have restarted empty, or dropped this process's client while away. */
    renew: () => renew(limiter),
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
