import type { Subscription } from 'rxjs';
import type { EncodedRecord } from '../encode.js';
import { backoffDelay } from '../retry/backoff.js';
import { classifyError } from '../retry/classify.js';
import { loadShardMap, type ShardMap } from '../shard-map.js';
import type { ResolvedOptions } from './options.js';
import type { ProducerSignal } from './signals.js';

/** Shortest time between two shard-map loads, in ms, so a burst of surprises loads it once. */
export const MIN_REFRESH_INTERVAL_MS = 1000;

interface Hooks {
  /** A new map is in: records that waited for it go on. */
  loaded(map: ShardMap, waiting: EncodedRecord<unknown>[]): void;
  expire(record: EncodedRecord<unknown>, lastCode: string): void;
  breakStream(code: string, message: string): void;
}

/**
 * Holds the producer's shard map: loads it on first use, reloads it when routing meets a surprise,
 * backs off while ListShards fails, and keeps the records that wait for it.
 */
export function createShardMapHolder(o: ResolvedOptions, emit: (s: ProducerSignal) => void, hooks: Hooks) {
  const { scheduler } = o;
  let map: ShardMap | undefined;
  let loading = false;
  let failures = 0;
  let lastLoadAt = -Infinity;
  let timer: Subscription | undefined;
  /** Wakes up when the oldest waiting record's TTL ends, so it fails on time while ListShards keeps failing. */
  let sweep: Subscription | undefined;
  let lastError = 'none (waited for the shard map)';
  const waiting: EncodedRecord<unknown>[] = [];

  function loaded(next: ShardMap, reason: string): void {
    const before = new Set(map?.shards.map((s) => s.shardId));
    const after = new Set(next.shards.map((s) => s.shardId));
    map = next;
    emit({
      type: 'shardMapRefreshed',
      version: next.version,
      shards: next.shards.length,
      added: [...after].filter((id) => !before.has(id)),
      removed: [...before].filter((id) => !after.has(id)),
      reason,
    });
    sweep?.unsubscribe();
    sweep = undefined;
    hooks.loaded(next, waiting.splice(0));
  }

  function failed(error: unknown, aborted: boolean, reason: string): void {
    const c = aborted ? { code: 'RequestTimeout', message: 'ListShards timed out', kind: 'retryable' } : classifyError(error);
    // Only what retrying cannot fix (the stream is gone, access is denied) ends the stream; the rest backs off.
    if (c.kind !== 'retryable') return hooks.breakStream(c.code, c.message);
    failures++;
    lastError = c.code;
    expireLate();
    schedule(backoffDelay(failures, o.retry.baseDelayMs, o.retry.maxDelayMs, o.retry.random), reason);
  }

  /** Fails the waiting records past their TTL, and wakes up again when the next one's TTL ends. */
  function expireLate(): void {
    sweep?.unsubscribe();
    sweep = undefined;
    const now = scheduler.now();
    const alive = waiting.splice(0).filter((r) => now - r.createdAt < o.recordTtlMs || (hooks.expire(r, lastError), false));
    waiting.push(...alive);
    if (alive.length > 0) {
      const oldest = alive.reduce((t, r) => Math.min(t, r.createdAt), Infinity);
      sweep = scheduler.schedule(expireLate, oldest + o.recordTtlMs - now);
    }
  }

  function load(reason: string): void {
    if (loading || timer !== undefined) return;
    loading = true;
    const controller = new AbortController();
    const timeout = scheduler.schedule(() => controller.abort(), o.requestTimeoutMs);
    loadShardMap(o.client, o.stream, { version: (map?.version ?? 0) + 1, abortSignal: controller.signal }).then(
      (next) => {
        timeout.unsubscribe();
        loading = false;
        failures = 0;
        lastLoadAt = scheduler.now();
        loaded(next, reason);
      },
      (error) => {
        timeout.unsubscribe();
        loading = false;
        failed(error, controller.signal.aborted, reason);
      },
    );
  }

  function schedule(delayMs: number, reason: string): void {
    if (timer !== undefined) return;
    timer = scheduler.schedule(() => {
      timer = undefined;
      load(reason);
    }, delayMs);
  }

  /** Loads the map again, at most once per MIN_REFRESH_INTERVAL_MS. */
  function refresh(reason: string): void {
    if (loading) return;
    const wait = lastLoadAt + MIN_REFRESH_INTERVAL_MS - scheduler.now();
    if (wait > 0) schedule(wait, reason);
    else load(reason);
  }

  return {
    current: () => map,
    /** Refreshes when the map is older than `maxAgeMs` (the periodic refresh, checked as batches go out). */
    refreshIfOlder(maxAgeMs: number): void {
      if (map !== undefined && scheduler.now() - lastLoadAt >= maxAgeMs) refresh('periodic refresh');
    },
    refresh,
    /** Keeps a record that no shard of the current map takes until the next map. */
    wait(record: EncodedRecord<unknown>): void {
      if (scheduler.now() - record.createdAt >= o.recordTtlMs) return hooks.expire(record, 'NoShard');
      waiting.push(record);
      sweep ??= scheduler.schedule(expireLate, record.createdAt + o.recordTtlMs - scheduler.now());
      if (map === undefined) load('first use');
      else refresh('no open shard holds a hash key');
    },
    drain: () => {
      sweep?.unsubscribe();
      sweep = undefined;
      return waiting.splice(0);
    },
    shift: () => waiting.shift(),
    dispose(): void {
      timer?.unsubscribe();
      timer = undefined;
      sweep?.unsubscribe();
      sweep = undefined;
    },
  };
}
