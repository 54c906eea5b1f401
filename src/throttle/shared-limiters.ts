import type { SchedulerLike } from 'rxjs';
import type { LimitsSignal } from './signals.js';
import { DEFAULTS } from '../defaults.js';
import type { AdaptiveRateOptions } from './adaptive-rate.js';
import { bucketSize, createLocalLimiters, type ShardGate } from './local-limiters.js';
import { createRedisLink } from './redis-link.js';
import { createSharedShard, type SharedShard, type SharedShardContext } from './shared-shard.js';
import {
  SHARED_BUCKET_MS,
  SHARED_HEARTBEAT_MS,
  SHARED_KEY_TTL_MS,
  checkSharedLimits,
  fallbackShare,
  keyPrefix,
  rejoined,
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
  onSignal?: ((signal: LimitsSignal) => void) | undefined;
}

/** One acquire() until it is granted, wherever it waits; `route` counts its moves, so stale paths know. */
interface Ticket {
  shardId: string;
  weight: number;
  resolve: () => void;
  done: boolean;
  route: number;
}

/**
 * Per-shard limits shared by every producer process through Redis (see `createSharedShard`). While
 * Redis is unreachable each process falls back to a local bucket with its share of the budget, and
 * the batches waiting on Redis move there: acquire() never fails while the limiters live, so the
 * engine never drops a batch. Redis back, new batches wait on it again, and on the local bucket too
 * until the processes last seen are back on Redis (see `rejoined`).
 */
export function createSharedLimiters(o: SharedLimitersOptions): ShardGate {
  checkSharedLimits(o.shared);
  const { top, scheduler } = o;
  const key = streamKey(o.shared, o.stream);
  const bucketMax = Math.max(bucketSize(top), Math.ceil((top * SHARED_BUCKET_MS) / 1000));
  const aimd = o.adaptive === false ? undefined : { ...DEFAULTS.adaptiveRate, ...o.adaptive };
  const shards = new Map<string, SharedShard>();
  /** Tickets waiting on Redis: they move to the local bucket when Redis goes away. */
  const onRedis = new Set<Ticket>();
  let mode: 'shared' | 'local' = 'shared';
  let local: ShardGate | undefined;
  /** Processes last seen when Redis went away. */
  let before: number | undefined;
  /** When Redis came back after being away, until every process last seen is back. */
  let rejoinedAt: number | undefined;
  let disposed = false;
  const link = createRedisLink({ redis: o.shared.redis, presenceKey: `${keyPrefix(key)}:processes`, onChange });
  const ctx: SharedShardContext = {
    key,
    top,
    bucketMax,
    increase: increaseSchedule(top, SHARED_HEARTBEAT_MS),
    rateParams: aimd && {
      top,
      floor: top * aimd.minFraction,
      decreaseFactor: aimd.decreaseFactor,
      increasePerSecond: top * aimd.increasePerSecond,
      cooldownMs: aimd.cooldownMs,
      maxDebit: bucketMax,
      ttlMs: SHARED_KEY_TTL_MS,
    },
    scheduler,
    link,
    isShared: () => mode === 'shared',
  };

  const localGate = () => (local ??= createLocalLimiters({ top: top * fallbackShare(o.shared.fallbackShare, link.processes), adaptive: o.adaptive, scheduler }));

  function shard(shardId: string): SharedShard {
    let s = shards.get(shardId);
    if (s === undefined) shards.set(shardId, (s = createSharedShard(ctx, shardId)));
    return s;
  }

  function onChange(up: boolean, reason: string): void {
    if (up) {
      const back = mode === 'local' && !rejoined(link.processes, before, 0);
      rejoinedAt = back ? scheduler.now() : undefined;
      mode = 'shared';
      const waiting = back ? `; keeps its local share until the ${before} processes last seen are back` : '';
      o.onSignal?.({ type: 'limits', mode, reason: `${reason}${waiting}`, processes: link.processes });
      return;
    }
    before = link.processes;
    rejoinedAt = undefined;
    mode = 'local';
    const share = fallbackShare(o.shared.fallbackShare, link.processes);
    const previous = local;
    // A fresh bucket at today's share; tickets left in the previous one come back through route().
    local = createLocalLimiters({ top: top * share, adaptive: o.adaptive, scheduler });
    previous?.dispose();
    o.onSignal?.({ type: 'limits', mode, reason, processes: link.processes, share });
    for (const t of [...onRedis]) route(t, 'local');
  }

  function grant(t: Ticket): boolean {
    if (t.done) return false;
    t.done = true;
    onRedis.delete(t);
    t.resolve();
    return true;
  }

  /** Takes `weight` from the local bucket, in pieces no heavier than it grants at once. */
  async function acquireLocally(shardId: string, weight: number): Promise<void> {
    const gate = localGate();
    for (let left = weight; left > 0; ) {
      const w = Math.min(left, gate.maxWeight(shardId));
      await gate.acquire(shardId, w);
      left -= w;
    }
  }

  /** Whether Redis is back but not yet every process last seen: the local share still caps this one. */
  function rejoining(): boolean {
    if (rejoinedAt !== undefined && rejoined(link.processes, before, scheduler.now() - rejoinedAt)) rejoinedAt = undefined;
    return rejoinedAt !== undefined;
  }

  /** Sends a ticket to wait on Redis or on the local bucket (or both, while rejoining); a path that fails sends it on again. */
  function route(t: Ticket, via: 'shared' | 'local' = mode): void {
    if (disposed || t.done) return;
    const r = ++t.route;
    onRedis.delete(t);
    const stale = () => t.route !== r || t.done || disposed;
    if (via === 'local') {
      acquireLocally(t.shardId, t.weight).then(
        () => grant(t),
        () => stale() || route(t),
      );
      return;
    }
    const onShared = () => {
      onRedis.add(t);
      shard(t.shardId)
        .take(t.weight, () => grant(t))
        .catch(() => {
          if (stale()) return;
          link.suspect();
          route(t, 'local');
        });
    };
    if (!rejoining()) return onShared();
    // Counted in both buckets: the shared one sees this process's use, the local one keeps it to its share.
    acquireLocally(t.shardId, t.weight).then(
      () => stale() || (mode === 'local' ? grant(t) : onShared()),
      () => stale() || route(t),
    );
  }

  return {
    maxWeight: (shardId) => (mode === 'local' ? localGate().maxWeight(shardId) : bucketSize(shard(shardId).rate)),
    wouldWait: (shardId, weight) => (mode === 'local' ? localGate().wouldWait(shardId, weight) : shard(shardId).busy),
    acquire(shardId, weight) {
      if (disposed) return Promise.reject(new Error('the shard limiters were disposed'));
      return new Promise<void>((resolve) => route({ shardId, weight, resolve, done: false, route: 0 }));
    },
    throttled: (shardId) => (mode === 'local' ? localGate().throttled(shardId) : shard(shardId).throttled()),
    succeeded: (shardId) => (mode === 'local' ? localGate().succeeded(shardId) : shard(shardId).succeeded()),
    rate: (shardId) => (mode === 'local' ? localGate().rate(shardId) : shard(shardId).rate),
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const s of shards.values()) s.dispose();
      local?.dispose();
      void link.dispose();
    },
  };
}
