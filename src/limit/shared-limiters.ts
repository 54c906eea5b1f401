import Bottleneck from 'bottleneck';
import type { SchedulerLike, Subscription } from 'rxjs';
import type { ProducerSignal } from '../producer/signals.js';
import { DEFAULT_ADAPTIVE_RATE, type AdaptiveRateOptions } from './adaptive-rate.js';
import { bucketSize, createLocalLimiters, type ShardGate } from './local-limiters.js';
import { createRedisLink } from './redis-link.js';
import { updateSharedRate, type SharedRateParams } from './redis-scripts.js';
import {
  RATE_SYNC_MS,
  checkSharedLimits,
  SHARED_BUCKET_MS,
  SHARED_HEARTBEAT_MS,
  SHARED_KEY_TTL_MS,
  fallbackShare,
  keyPrefix,
  limiterId,
  streamKey,
  type SharedLimitsOptions,
  type StreamNames,
} from './shared-limits.js';
import { increaseSchedule } from './token-bucket.js';

export interface SharedLimitersOptions {
  /** Highest rate of each shard for all processes together, in records per second. */
  top: number;
  adaptive: AdaptiveRateOptions | false;
  scheduler: SchedulerLike;
  shared: SharedLimitsOptions;
  stream?: StreamNames | undefined;
  onSignal?: ((signal: ProducerSignal) => void) | undefined;
}

/** One acquire() until it is granted, wherever it waits; `route` counts its moves, so stale paths know. */
interface Ticket {
  shardId: string;
  weight: number;
  resolve: () => void;
  done: boolean;
  route: number;
}

interface SharedShard {
  limiter: Bottleneck;
  rateKey: string;
  /** The shard's shared rate as Redis last told it, records per second. */
  rate: number;
  lastDecrease: number;
  /** Tickets waiting on the shared limiter. */
  waiting: number;
  /** A success to report at the next rate sync. */
  succeeded: boolean;
  sync: Subscription | undefined;
  /** The last grant waited for capacity (longer than a Redis round trip). */
  behind: boolean;
}

/** A grant slower than this waited for the shared bucket to refill, in ms. */
const WAITED_MS = 20;
const ignore = () => undefined;

/**
 * Per-shard limits shared by every producer process through Redis. Each shard is one clustered
 * Bottleneck limiter (all processes meet on its id) whose reservoir Redis refills at the top rate with
 * `reservoirIncrease*`: Bottleneck's Lua counts whole elapsed intervals and keeps the remainder, so
 * unlike its local heartbeat it loses no budget. AIMD is shared too: one rate per shard in Redis that
 * every process's throttles and successes move, enforced by taking the owed tokens out of the
 * reservoir (`incrementReservoir`, never `updateSettings`, which stops the refill). While Redis is
 * unreachable each process falls back to a local bucket with its share of the budget; tickets waiting
 * on Redis move there, so acquire() never fails while the limiters live.
 */
export function createSharedLimiters(o: SharedLimitersOptions): ShardGate {
  checkSharedLimits(o.shared);
  const { top, scheduler } = o;
  const key = streamKey(o.shared, o.stream);
  const bucketMax = Math.max(bucketSize(top), Math.ceil((top * SHARED_BUCKET_MS) / 1000));
  const increase = increaseSchedule(top, SHARED_HEARTBEAT_MS);
  const aimd = o.adaptive === false ? undefined : { ...DEFAULT_ADAPTIVE_RATE, ...o.adaptive };
  const rateParams: SharedRateParams | undefined = aimd && {
    top,
    floor: top * aimd.minFraction,
    decreaseFactor: aimd.decreaseFactor,
    increasePerSecond: top * aimd.increasePerSecond,
    cooldownMs: aimd.cooldownMs,
    maxDebit: bucketMax,
    ttlMs: SHARED_KEY_TTL_MS,
  };
  const shards = new Map<string, SharedShard>();
  /** Tickets waiting on Redis: they move to the local bucket when Redis goes away. */
  const onRedis = new Set<Ticket>();
  let mode: 'shared' | 'local' = 'shared';
  let local: ShardGate | undefined;
  let disposed = false;
  const link = createRedisLink({ redis: o.shared.redis, presenceKey: `${keyPrefix(key)}:processes`, onChange });

  function localGate(): ShardGate {
    return (local ??= createLocalLimiters({ top: top * fallbackShare(o.shared.fallbackShare, link.processes), adaptive: o.adaptive, scheduler }));
  }

  function onChange(up: boolean, reason: string): void {
    if (up) {
      mode = 'shared';
      o.onSignal?.({ type: 'limits', mode, reason, processes: link.processes });
      return;
    }
    mode = 'local';
    const share = fallbackShare(o.shared.fallbackShare, link.processes);
    const previous = local;
    // A fresh bucket at today's share; tickets left in the previous one come back through route().
    local = createLocalLimiters({ top: top * share, adaptive: o.adaptive, scheduler });
    previous?.dispose();
    o.onSignal?.({ type: 'limits', mode, reason, processes: link.processes, share });
    for (const t of [...onRedis]) route(t, 'local');
  }

  function shard(shardId: string): SharedShard {
    let s = shards.get(shardId);
    if (s === undefined) {
      const limiter = new Bottleneck({
        id: limiterId(key, shardId),
        datastore: 'ioredis',
        connection: link.connection,
        maxConcurrent: null,
        minTime: 0,
        reservoir: bucketSize(top),
        reservoirIncreaseAmount: increase.amount,
        reservoirIncreaseInterval: increase.intervalMs,
        reservoirIncreaseMaximum: bucketMax,
        heartbeatInterval: SHARED_HEARTBEAT_MS,
        timeout: SHARED_KEY_TTL_MS,
      });
      limiter.on('error', () => link.suspect());
      limiter.ready().catch(ignore);
      s = { limiter, rateKey: `${limiterId(key, shardId)}:rate`, rate: top, lastDecrease: -Infinity, waiting: 0, succeeded: false, sync: undefined, behind: false };
      shards.set(shardId, s);
    }
    return s;
  }

  function grant(t: Ticket): boolean {
    if (t.done) return false;
    t.done = true;
    onRedis.delete(t);
    t.resolve();
    return true;
  }

  /** Sends a ticket to wait on Redis or on the local bucket; a path that fails sends it on again. */
  function route(t: Ticket, via: 'shared' | 'local' = mode): void {
    if (disposed || t.done) return;
    const r = ++t.route;
    onRedis.delete(t);
    if (via === 'local') {
      localGate()
        .acquire(t.shardId, t.weight)
        .then(() => grant(t), () => t.route === r && route(t));
      return;
    }
    const s = shard(t.shardId);
    const weight = Math.min(t.weight, bucketMax);
    const asked = Date.now();
    onRedis.add(t);
    s.waiting++;
    startSync(s);
    s.limiter
      .schedule({ weight }, async () => {
        s.behind = Date.now() - asked > WAITED_MS;
        // A ticket granted elsewhere first gives its tokens back.
        if (!grant(t)) await s.limiter.incrementReservoir(weight).catch(ignore);
      })
      .catch(() => {
        if (t.route !== r || t.done) return;
        link.suspect();
        route(t, 'local');
      })
      .finally(() => s.waiting--);
  }

  function startSync(s: SharedShard): void {
    if (rateParams === undefined || s.sync !== undefined || disposed) return;
    s.sync = scheduler.schedule(() => {
      s.sync = undefined;
      const op = s.succeeded ? 'succeeded' : 'sync';
      s.succeeded = false;
      syncRate(s, op);
      if (s.waiting > 0) startSync(s);
    }, RATE_SYNC_MS);
  }

  /** Reports to the shard's shared rate and takes what it owes out of the shared reservoir. */
  function syncRate(s: SharedShard, op: 'sync' | 'throttled' | 'succeeded'): void {
    if (mode !== 'shared' || rateParams === undefined) return;
    updateSharedRate(link.client, s.rateKey, op, Date.now(), rateParams)
      .then(async ({ rate, debit, empty }) => {
        s.rate = rate;
        const cut = debit + (empty ? Math.max(0, (await s.limiter.currentReservoir()) ?? 0) : 0);
        if (cut > 0) await s.limiter.incrementReservoir(-cut);
      })
      .catch(() => link.suspect());
  }

  return {
    maxWeight: (shardId) => (mode === 'local' ? localGate().maxWeight(shardId) : bucketSize(shard(shardId).rate)),
    wouldWait(shardId, weight) {
      if (mode === 'local') return localGate().wouldWait(shardId, weight);
      const s = shard(shardId);
      return s.waiting > 0 || s.behind;
    },
    acquire(shardId, weight) {
      if (disposed) return Promise.reject(new Error('the shard limiters were disposed'));
      return new Promise<void>((resolve) => route({ shardId, weight, resolve, done: false, route: 0 }));
    },
    throttled(shardId) {
      if (mode === 'local') return localGate().throttled(shardId);
      const s = shard(shardId);
      if (rateParams === undefined) return s.rate;
      // Shown at once; Redis's answer, which counts every process's throttles, replaces it.
      const now = Date.now();
      if (now - s.lastDecrease >= rateParams.cooldownMs) {
        s.lastDecrease = now;
        s.rate = Math.max(rateParams.floor, s.rate * rateParams.decreaseFactor);
      }
      syncRate(s, 'throttled');
      return s.rate;
    },
    succeeded(shardId) {
      if (mode === 'local') return localGate().succeeded(shardId);
      const s = shard(shardId);
      // At the top there is nothing to regain; a decrease by another process shows at the next sync.
      if (rateParams === undefined || s.rate >= top) return;
      s.succeeded = true;
      startSync(s);
    },
    rate: (shardId) => (mode === 'local' ? localGate().rate(shardId) : shard(shardId).rate),
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const s of shards.values()) {
        s.sync?.unsubscribe();
        void s.limiter.stop({ dropWaitingJobs: true }).catch(ignore);
      }
      local?.dispose();
      void link.dispose();
    },
  };
}
