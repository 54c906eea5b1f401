import type { Subscription } from 'rxjs';
import { backoffDelay } from '../send/backoff.js';
import { classifyError } from '../kinesis/classify.js';
import { loadShardMap, type ShardMap } from '../kinesis/shard-map.js';
import type { ResolvedOptions } from './options.js';
import type { ProducerSignal } from './signals.js';

/** Shortest time between two shard-map loads, in ms, so a burst of surprises loads it once. */
export const MIN_REFRESH_INTERVAL_MS = 1000;

interface Hooks {
  /** A new map is in. */
  loaded(map: ShardMap): void;
  /** ListShards failed with a transient error and will be tried again. */
  failed(code: string): void;
  breakStream(code: string, message: string): void;
}

/**
 * Holds the producer's shard map: loads it on first use, reloads it when routing meets a surprise, and
 * backs off while ListShards fails. The values that wait for a map are held by the producer's holdings.
 */
export function createShardMapHolder(o: ResolvedOptions, emit: (s: ProducerSignal) => void, hooks: Hooks) {
  const { scheduler } = o;
  let map: ShardMap | undefined;
  let loading = false;
  let failures = 0;
  let lastLoadAt = -Infinity;
  let timer: Subscription | undefined;

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
    hooks.loaded(next);
  }

  function failed(error: unknown, aborted: boolean, reason: string): void {
    const c = aborted ? { code: 'RequestTimeout', message: 'ListShards timed out', kind: 'retryable' } : classifyError(error);
    // Only what retrying cannot fix (the stream is gone, access is denied) ends the stream; the rest backs off.
    if (c.kind !== 'retryable') return hooks.breakStream(c.code, c.message);
    failures++;
    hooks.failed(c.code);
    schedule(backoffDelay(failures, o.retry.baseDelayMs, o.retry.maxDelayMs, o.retry.random), reason);
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
    /** A value found no shard: load the first map, or a newer one. */
    need(): void {
      if (map === undefined) load('first use');
      else refresh('no open shard holds a hash key');
    },
    dispose(): void {
      timer?.unsubscribe();
      timer = undefined;
    },
  };
}
