import type { Subscription } from 'rxjs';
import type { RoutedRecord } from '../records/route.js';
import { isLate } from '../send/retry-plan.js';
import type { ShardMap } from '../kinesis/shard-map.js';
import { failure, success, type PutOutcome } from '../records/outcome.js';
import type { ResolvedOptions } from './options.js';
import { createPressure } from './pressure.js';
import type { ShardBacklogs } from './shard-backlogs.js';
import { createShardQueue } from '../batch/shard-queue.js';
import type { ProducerSignal } from './signals.js';
import type { Metrics } from '../metrics/metrics.js';

/** Where a held record's outcome goes: the pipeline that put it. */
export interface OutcomeSink<T> {
  deliver(outcome: PutOutcome<T>): void;
  /** Called when the stream broke, so pipelines with nothing pending can error. */
  check(): void;
}

/** A record the producer holds until its outcome is decided. */
export interface HeldRecord<T> extends RoutedRecord<T> {
  sink: OutcomeSink<T>;
}

export interface HoldingsOptions<T> {
  o: ResolvedOptions;
  backlogs: ShardBacklogs<HeldRecord<T>>;
  /** The longest wait a value is accepted for, in ms. */
  maxWaitMs: number;
  /** How long what waits for a shard map would wait, in ms. */
  unroutedWaitMs(records: number, bytes: number): number;
  /** The longest wait of values held back for their key's order, in ms. */
  keyWaitMs?(): number;
  /** Per-key order: a value's outcome may let its key's next ones go. */
  keys?: { decided(record: HeldRecord<T>): void } | undefined;
  metrics: Pick<Metrics, 'decided'>;
  emit(signal: ProducerSignal): void;
}

/**
 * What the producer holds, with one owner: every value from `put` to its outcome, counted (the memory
 * ceilings), timed (the wait bound), and decided exactly once. The shard backlogs hold what waits for
 * a shard; here wait the values without one (no shard map yet, or an aggregate on a shard the map did
 * not predict).
 */
export function createHoldings<T>(h: HoldingsOptions<T>) {
  const { o, backlogs, emit } = h;
  const { scheduler } = o;
  const totals = { records: 0, bytes: 0, inFlight: 0 };
  const pressure = createPressure({ ...o, maxWaitMs: h.maxWaitMs });
  const unrouted = createShardQueue<HeldRecord<T>>('');
  const unverified: { records: HeldRecord<T>[]; shardId: string; sequenceNumber: string }[] = [];
  const idle: (() => void)[] = [];
  let sweep: Subscription | undefined;
  let lastMapError: string | undefined;

  function update(full = false): void {
    const b = backlogs.busiest();
    const mapWaitMs = h.unroutedWaitMs(unrouted.length, unrouted.bytes);
    const keyWaitMs = h.keyWaitMs?.() ?? 0;
    const [shardId, waitMs] = mapWaitMs > b.waitMs ? [undefined, mapWaitMs] : [b.shardId, b.waitMs];
    if (keyWaitMs > waitMs) return pressure.update(totals.records, totals.bytes, totals.inFlight, keyWaitMs, undefined, full);
    pressure.update(totals.records, totals.bytes, totals.inFlight, waitMs, shardId, full);
  }

  function decide(record: HeldRecord<T>, outcome: PutOutcome<T>): void {
    totals.records--;
    totals.bytes -= record.size;
    h.keys?.decided(record);
    h.metrics.decided(outcome.ok, outcome.ok ? undefined : outcome.error.code, record.attempts, record.data.length, outcome.ok ? outcome.shardId : record.shardId);
    update();
    record.sink.deliver(outcome);
    if (totals.records === 0) idle.splice(0).forEach((resolve) => resolve());
  }

  const fail = (r: HeldRecord<T>, code: string, message: string, retryable: boolean) => decide(r, failure(r.value, code, message, retryable, r.attempts, r.index));

  function expire(records: readonly HeldRecord<T>[], lastCode: string | undefined, shardId: string | undefined): void {
    const last = lastCode === undefined ? 'none (it waited in the producer)' : lastCode;
    for (const r of records) fail(r, 'Expired', `not accepted within recordTtlMs (${o.recordTtlMs} ms) after ${r.attempts} attempts; last error ${last}`, true);
    if (records.length > 0) emit({ type: 'expired', shardId, count: records.length, ...(lastCode === undefined ? {} : { errorCode: lastCode }) });
  }

  /** Fails the values waiting for a map past their TTL, and wakes up when the next one's TTL ends. */
  function expireUnrouted(): void {
    sweep?.unsubscribe();
    sweep = undefined;
    const now = scheduler.now();
    const waiting = unrouted.drain();
    expire(
      waiting.filter((r) => isLate(r, now, o.recordTtlMs)),
      lastMapError,
      undefined,
    );
    let oldest = Infinity;
    for (const r of waiting) if (!isLate(r, now, o.recordTtlMs)) (unrouted.push(r), (oldest = Math.min(oldest, r.createdAt)));
    if (unrouted.length > 0) sweep = scheduler.schedule(expireUnrouted, oldest + o.recordTtlMs - now);
  }

  return {
    totals,
    pressure,
    update,
    decide,
    fail,
    expire,
    /** Takes a value from a pipeline: counted until its outcome. */
    hold(record: HeldRecord<T>): void {
      totals.records++;
      totals.bytes += record.size;
    },
    sent: (r: HeldRecord<T>, shardId: string, sequenceNumber: string, subSequenceNumber: number | undefined) =>
      decide(r, success(r, shardId, sequenceNumber, subSequenceNumber)),
    /** Keeps a value no shard of the current map takes until the next map. */
    waitForMap(record: HeldRecord<T>): void {
      if (isLate(record, scheduler.now(), o.recordTtlMs)) return expire([record], lastMapError ?? 'NoShard', undefined);
      unrouted.push(record);
      sweep ??= scheduler.schedule(expireUnrouted, record.createdAt + o.recordTtlMs - scheduler.now());
    },
    /** Aggregated records that landed on a shard the map did not predict wait for the next map. */
    unverified(records: HeldRecord<T>[], shardId: string, sequenceNumber: string): void {
      unverified.push({ records, shardId, sequenceNumber });
    },
    /** ListShards failed: the values that expire waiting for a map say so. */
    mapFailed(code: string): void {
      lastMapError = code;
      expireUnrouted();
    },
    /**
     * A new map is in: each unverified record is sent if the shard it landed on holds its hash, or goes
     * again; the values that waited for a map are routed.
     */
    mapLoaded(map: ShardMap, route: (r: HeldRecord<T>) => void): void {
      sweep?.unsubscribe();
      sweep = undefined;
      for (const { records, shardId, sequenceNumber } of unverified.splice(0)) {
        records.forEach((r, i) => (map.shardFor(r.hashKey)?.shardId === shardId ? decide(r, success(r, shardId, sequenceNumber, i)) : route(r)));
      }
      unrouted.drain().forEach(route);
    },
    /** The oldest value waiting for a map, taken out: for `dropOldest`. */
    shiftUnrouted: () => unrouted.shift(),
    /** Every value waiting anywhere here or in the backlogs, taken out (the stream broke). */
    drain(): HeldRecord<T>[] {
      sweep?.unsubscribe();
      sweep = undefined;
      return [...unrouted.drain(), ...unverified.splice(0).flatMap((u) => u.records), ...backlogs.drain()];
    },
    /** Resolves when no value is held. */
    whenIdle: () => (totals.records === 0 ? Promise.resolve() : new Promise<void>((resolve) => idle.push(resolve))),
    dispose(): void {
      sweep?.unsubscribe();
      backlogs.dispose();
      pressure.complete();
    },
  };
}

export type Holdings<T> = ReturnType<typeof createHoldings<T>>;
