import { Subject, type Subscription } from 'rxjs';
import { createShardAggregator, membersOf, type KinesisEntry } from '../aggregate.js';
import { createBatcher, type Batch } from '../batch.js';
import type { EncodedRecord } from '../encode.js';
import { KinesisStreamError } from '../errors.js';
import { createShardLimiters } from '../limit/shard-limiters.js';
import { batchWeight } from '../limit/token-bucket.js';
import { putBatch, type BatchResult } from '../put.js';
import { backoffDelay } from '../retry/backoff.js';
import { routeRecord, type RoutedRecord } from '../route.js';
import { classifyCode } from '../retry/classify.js';
import { failure, success, type PutOutcome } from '../types.js';
import { MAX_WAIT_SHARE, type ResolvedOptions } from './options.js';
import { createBacklog, type ShardBacklog } from './backlog.js';
import { createPressure } from './pressure.js';
import { createSendRate } from './send-rate.js';
import { createShardMapHolder } from './shard-map-holder.js';
import type { ProducerSignal } from './signals.js';

/** Where a held record's outcome goes: the pipeline that put it. */
export interface OutcomeSink<T> {
  deliver(outcome: PutOutcome<T>): void;
  /** Called when the stream broke, so pipelines with nothing pending can error. */
  check(): void;
}

/** A record the producer holds until its outcome is decided. */
export interface HeldRecord<T> extends RoutedRecord<T> {
  sink: OutcomeSink<T>;
  /** The shard backlog it waits in, if it waits for a shard's budget. */
  backlog?: ShardBacklog | undefined;
}

type Entry<T> = KinesisEntry<HeldRecord<T>>;
type HeldBatch<T> = Batch<Entry<T>>;

const sumSizes = (entries: readonly { size: number }[]) => entries.reduce((n, e) => n + e.size, 0);
const membersOfAll = <T>(entries: readonly Entry<T>[]) => entries.flatMap(membersOf);
/** User records in entries, counted without the arrays `membersOf` makes (this runs per batch on the hot path). */
const countMembers = <T>(entries: readonly Entry<T>[]) => entries.reduce((n, e) => n + ('records' in e ? e.records.length : 1), 0);
/** When the oldest user record of an entry arrived (retried records may follow newer ones in an aggregate). */
const createdAtOf = <T>(e: Entry<T>) => ('records' in e ? e.records.reduce((t, r) => Math.min(t, r.createdAt), Infinity) : e.createdAt);

const THROTTLE_CODE = 'ProvisionedThroughputExceededException';

/**
 * The producer's shared core: routes held records into per-shard batches, passes them through each
 * shard's limiter within the concurrency limits, decides each record's outcome, and retries the
 * failed entries alone. Bounds what it holds and reports how full it is.
 */
export function createEngine<T>(o: ResolvedOptions) {
  const { scheduler } = o;
  const signals = new Subject<ProducerSignal>();
  const emit = (signal: ProducerSignal) => signals.next(signal);
  const held = { records: 0, bytes: 0, inFlight: 0 };
  const maxWaitMs = o.recordTtlMs * MAX_WAIT_SHARE;
  const pressure = createPressure({ ...o, maxWaitMs });
  const limiters = o.rateLimit === false ? undefined : createShardLimiters({ budget: o.shardBudget, rateLimit: o.rateLimit, adaptive: o.adaptiveRate, scheduler, shared: o.limits, onSignal: emit });
  // A local limiter knows each shard's rate; without one, or with the budget shared by other processes, the rate is measured.
  const top = limiters?.top ?? o.shardBudget.recordsPerSecond;
  const sendRate = createSendRate(top, () => scheduler.now());
  /** Records waiting for a map will spread over every shard of the stream (one, until a map says). */
  const unroutedRate = () => top * (shardMap.current()?.shards.length ?? 1);
  const rateOf = (shardId: string | undefined): number => {
    if (shardId === undefined) return unroutedRate();
    return limiters !== undefined && o.limits === undefined ? limiters.rate(shardId) : sendRate.rate(shardId);
  };
  /** Kinesis records of a backlog: with aggregation, user records share them. */
  const packing = o.aggregation;
  const kinesisRecords =
    packing === false
      ? (records: number) => records
      : (records: number, bytes: number) => Math.max(Math.ceil(records / packing.maxCount), Math.ceil(bytes / packing.maxBytes));
  const weightOf = (records: number, bytes: number) => batchWeight(kinesisRecords(records, bytes), bytes, o.shardBudget.recordsPerSecond, o.shardBudget.bytesPerSecond);
  const backlog = createBacklog({ weightOf, rateOf });
  /** Batches already made of aggregates (the others hold user records, aggregated when they reach the head). */
  const aggregated = new WeakSet<HeldBatch<T>>();
  /** Sealed batches waiting to be sent, per shard, oldest first. */
  const queues = new Map<string, HeldBatch<T>[]>();
  const enqueue = (batch: HeldBatch<T>) => {
    const q = queues.get(batch.shardId);
    if (q === undefined) queues.set(batch.shardId, [batch]);
    else q.push(batch);
  };
  /** PutRecords requests in flight, per shard and in all. */
  const inFlightByShard = new Map<string, number>();
  let inFlight = 0;
  /** Shards with a batch waiting for their limiter, and batches granted but waiting for a request slot. */
  const waitingShards = new Set<string>();
  const ready: HeldBatch<T>[] = [];
  const retries = new Set<{ timer: Subscription; shardId: string; entries: HeldRecord<T>[] }>();
  const sinks = new Set<OutcomeSink<T>>();
  const idle: (() => void)[] = [];
  let streamError: KinesisStreamError | undefined;
  let disposed = false;
  /** Pipelines that completed with records still held, plus one while closing: batches then go out without lingering. */
  let draining = 0;
  let flushTimer: Subscription | undefined;

  const aggregate = o.aggregation === false ? undefined : createShardAggregator({ ...o.aggregation, maxRecordBytes: o.maxRecordBytes, maxBatchCount: o.batch.maxCount, maxBatchBytes: o.batch.maxBytes });
  // With aggregation a batch of user records is cut by bytes only: the aggregator makes the PutRecords batches.
  /**
   * A shard's batch of user records that fills a whole aggregate goes out at once when the shard is
   * idle, instead of lingering: it already makes a full Kinesis record, and a busy shard keeps
   * gathering while its requests are out. Without aggregation, batches fill by count first.
   */
  const eagerBytes = o.aggregation === false ? Infinity : o.aggregation.maxBytes;
  const batcher = createBatcher<HeldRecord<T>>(aggregate ? { ...o.batch, maxCount: Number.MAX_SAFE_INTEGER } : o.batch, (batch) => {
    enqueue(batch);
    pump();
  });
  /**
   * Aggregates that landed on a shard the map did not predict (the stream resharded): consumers of
   * that shard drop the sub-records outside its range, so each record waits for the new map, then is
   * decided sent (its hash is in the shard it landed on) or sent again.
   */
  const unverified: { records: HeldRecord<T>[]; shardId: string; sequenceNumber: string }[] = [];
  const shardMap = createShardMapHolder(o, emit, {
    loaded(map, waiting) {
      for (const { records, shardId, sequenceNumber } of unverified.splice(0)) {
        records.forEach((r, subSequenceNumber) => {
          if (map.shardFor(r.hashKey)?.shardId === shardId) decide(r, success(r, shardId, sequenceNumber, subSequenceNumber));
          else route(r);
        });
      }
      waiting.forEach((r) => route(r as HeldRecord<T>));
    },
    expire: (record, code) => expire([record as HeldRecord<T>], code, undefined),
    breakStream,
  });

  /** Whether an entry holds a record past its TTL at `now`. */
  const lateAt = (now: number) => (e: Entry<T>) => now - createdAtOf(e) >= o.recordTtlMs;
  function updatePressure(full = false): void {
    const busiest = backlog.busiest();
    pressure.update(held.records, held.bytes, held.inFlight, busiest.waitMs, busiest.shardId, full);
  }

  function decide(record: HeldRecord<T>, outcome: PutOutcome<T>): void {
    backlog.leave(record);
    held.records--;
    held.bytes -= record.size;
    updatePressure();
    record.sink.deliver(outcome);
    if (held.records === 0) idle.splice(0).forEach((resolve) => resolve());
  }

  function fail(record: HeldRecord<T>, code: string, message: string, retryable: boolean): void {
    decide(record, failure(record.value, code, message, retryable, record.attempts));
  }

  function expire(records: HeldRecord<T>[], lastCode: string, shardId: string | undefined): void {
    for (const r of records) {
      fail(r, 'Expired', `not accepted within recordTtlMs (${o.recordTtlMs} ms) after ${r.attempts} attempts; last error ${lastCode}`, true);
    }
    if (records.length > 0) emit({ type: 'expired', shardId, count: records.length, errorCode: lastCode });
  }

  /** Takes a new or retried record: to its shard's batch, or to wait for the shard map. */
  function route(record: HeldRecord<T>): void {
    if (streamError !== undefined) return fail(record, streamError.code, streamError.message, false);
    const map = shardMap.current();
    if (map !== undefined && routeRecord(record, map)) {
      backlog.wait(record, record.shardId);
      const buffered = batcher.add(record);
      // Lingering only helps while there is room: when draining or under pressure, batches go out now.
      if (draining > 0 || pressure.level !== 'ok') flushSoon();
      else if (buffered >= eagerBytes && canSendNow(record.shardId)) batcher.flushShard(record.shardId);
    } else {
      backlog.wait(record, undefined);
      shardMap.wait(record as EncodedRecord<unknown>);
    }
  }

  /**
   * Whether the shard is idle: nothing queued, nothing waiting for its budget, no request out. A full
   * aggregate then only waits and stays alive longer by lingering; a shard with a request out keeps
   * gathering, so under load requests stay few and full.
   */
  function canSendNow(shardId: string): boolean {
    return !queues.has(shardId) && !waitingShards.has(shardId) && !inFlightByShard.get(shardId) && inFlight < o.maxConcurrentRequests;
  }

  /** Seals part-filled batches once the records routed in this turn are in. */
  function flushSoon(): void {
    flushTimer ??= scheduler.schedule(() => {
      flushTimer = undefined;
      batcher.flush();
    });
  }

  /**
   * Moves each shard's queued batches on, oldest first. With limits, each shard has one batch waiting
   * for its bucket at a time, so tokens are taken as they come even while requests are in flight;
   * granted batches then wait in `ready` for a free request slot.
   */
  function pump(): void {
    for (const [shardId, q] of queues) {
      if (limiters === undefined) {
        while (head(q) !== undefined && hasSlot(shardId)) send(q.shift()!);
      } else if (!waitingShards.has(shardId) && head(q) !== undefined) {
        const next = takeWithinLimit(q[0]);
        if (next === q[0]) q.shift();
        acquire(next);
      }
      if (q.length === 0) queues.delete(shardId);
    }
    sendReady();
  }

  /**
   * The shard's next batch to send, ready for it: records past their TTL fail here, before they
   * take the shard's tokens, and with aggregation the batch of user records becomes aggregates only
   * now, so queued bytes are never held twice.
   */
  function head(q: HeldBatch<T>[]): HeldBatch<T> | undefined {
    while (q.length > 0 && dropLate(q[0])) q.shift();
    if (aggregate !== undefined && q.length > 0 && !aggregated.has(q[0])) {
      const batches = aggregate(q[0].shardId, q[0].entries as HeldRecord<T>[]);
      batches.forEach((b) => aggregated.add(b));
      q.splice(0, 1, ...batches);
    }
    return q[0];
  }

  /** Fails a queued batch's records past their TTL (an aggregate with one is unpacked, its live records routed again). True when nothing is left. */
  function dropLate(batch: HeldBatch<T>): boolean {
    const now = scheduler.now();
    const late = lateAt(now);
    if (batch.entries.length === 0 || !late(batch.entries[0])) return batch.entries.length === 0;
    const records = membersOfAll(batch.entries.filter(late));
    batch.entries = batch.entries.filter((e) => !late(e));
    batch.bytes = sumSizes(batch.entries);
    expire(records.filter((r) => now - r.createdAt >= o.recordTtlMs), 'none (waited in the producer)', batch.shardId);
    records.filter((r) => now - r.createdAt < o.recordTtlMs).forEach(route);
    return batch.entries.length === 0;
  }

  function acquire(batch: HeldBatch<T>): void {
    const weight = limiters!.weightOf(batch.entries.length, batch.bytes);
    if (limiters!.wouldWait(batch.shardId, weight)) {
      emit({ type: 'throttled', shardId: batch.shardId, source: 'local', count: batch.entries.length, rate: limiters!.rate(batch.shardId) });
    }
    waitingShards.add(batch.shardId);
    limiters!.acquire(batch.shardId, weight).then(
      () => {
        waitingShards.delete(batch.shardId);
        ready.push(batch);
        pump();
      },
      () => waitingShards.delete(batch.shardId),
    );
  }

  function hasSlot(shardId: string): boolean {
    return inFlight < o.maxConcurrentRequests && (inFlightByShard.get(shardId) ?? 0) < o.maxInFlightPerShard;
  }

  function sendReady(): void {
    for (let i = 0; i < ready.length; i++) {
      if (!hasSlot(ready[i].shardId)) continue;
      send(ready.splice(i--, 1)[0]);
    }
  }

  /** The batch, or the front part of it that the shard's bucket can grant at once (the rest stays queued). */
  function takeWithinLimit(batch: HeldBatch<T>): HeldBatch<T> {
    const max = limiters!.maxWeight(batch.shardId);
    if (limiters!.weightOf(batch.entries.length, batch.bytes) <= max) return batch;
    let count = 0;
    let bytes = 0;
    while (count < batch.entries.length && limiters!.weightOf(count + 1, bytes + batch.entries[count].size) <= max) bytes += batch.entries[count++].size;
    count = Math.max(count, 1);
    const entries = batch.entries.splice(0, count);
    const taken = sumSizes(entries);
    batch.bytes -= taken;
    return { shardId: batch.shardId, entries, bytes: taken };
  }

  function send(batch: HeldBatch<T>): void {
    if (disposed) return;
    const now = scheduler.now();
    const late = lateAt(now);
    if (batch.entries.some(late)) {
      // An aggregate with one late record is unpacked: its other records go back through routing.
      const records = membersOfAll(batch.entries.filter(late));
      expire(records.filter((r) => now - r.createdAt >= o.recordTtlMs), 'none (waited in the producer)', batch.shardId);
      const live = batch.entries.filter((e) => !late(e));
      records.filter((r) => now - r.createdAt < o.recordTtlMs).forEach(route);
      if (live.length === 0) return pump();
      batch = { shardId: batch.shardId, entries: live, bytes: sumSizes(live) };
    }
    if (o.shardMapMaxAgeMs > 0) shardMap.refreshIfOlder(o.shardMapMaxAgeMs);
    const records = countMembers(batch.entries);
    for (const e of batch.entries) {
      if ('records' in e) e.records.forEach(backlog.leave);
      else backlog.leave(e);
    }
    held.inFlight += records;
    inFlight++;
    inFlightByShard.set(batch.shardId, (inFlightByShard.get(batch.shardId) ?? 0) + 1);
    const sent = batch;
    putBatch(o.client, o.stream, sent, { requestTimeoutMs: o.requestTimeoutMs, scheduler }).then((result) => {
      inFlight--;
      inFlightByShard.set(sent.shardId, (inFlightByShard.get(sent.shardId) ?? 1) - 1);
      held.inFlight -= records;
      settle(sent, result, scheduler.now() - now);
      pump();
    });
  }

  function settle(batch: HeldBatch<T>, result: BatchResult<Entry<T>>, durationMs: number): void {
    const accepted = batchWeight(result.succeeded.length, sumSizes(result.succeeded.map((s) => s.entry)), o.shardBudget.recordsPerSecond, o.shardBudget.bytesPerSecond);
    sendRate.sent(batch.shardId, accepted, backlog.has(batch.shardId));
    // Rates move with every answer (AIMD, measurement): the busiest shard is found again at the next look.
    backlog.ratesChanged();
    let unpredicted = false;
    for (const { entry, shardId, sequenceNumber } of result.succeeded) {
      if (shardId !== entry.shardId) unpredicted = true;
      if (!('records' in entry)) decide(entry, success(entry, shardId, sequenceNumber, undefined));
      else if (shardId !== entry.shardId) unverified.push({ records: entry.records, shardId, sequenceNumber });
      else entry.records.forEach((r, subSequenceNumber) => decide(r, success(r, shardId, sequenceNumber, subSequenceNumber)));
    }
    if (result.requestError?.kind === 'stream') breakStream(result.requestError.code, result.requestError.message);
    for (const { entry, code, message } of result.failed) {
      if (classifyCode(code) === 'stream') breakStream(code, message);
      for (const r of membersOf(entry)) fail(r, code, message, false);
    }
    if (result.split.length > 0) split(batch.shardId, result.split);
    const throttled = result.retry.filter((r) => r.code === THROTTLE_CODE).length;
    if (limiters !== undefined && throttled > 0) {
      const rate = limiters.throttled(batch.shardId);
      emit({ type: 'throttled', shardId: batch.shardId, source: 'service', count: throttled, rate });
    } else if (limiters !== undefined && result.succeeded.length > 0) limiters.succeeded(batch.shardId);
    if (result.retry.length > 0) scheduleRetry(batch.shardId, membersOfAll(result.retry.map((r) => r.entry)), result.retry[0].code);
    emit({
      type: 'batchSent',
      shardId: batch.shardId,
      records: batch.entries.length,
      userRecords: countMembers(batch.entries),
      bytes: batch.bytes,
      succeeded: result.succeeded.length,
      retried: result.retry.length,
      failed: result.failed.length,
      durationMs,
      ...(result.requestError ? { errorCode: result.requestError.code } : {}),
    });
    if (unpredicted) shardMap.refresh('a record landed on a shard the map did not predict');
  }

  /**
   * The service refused a request as invalid as a whole: one of its entries may be the cause. Its
   * halves go out first, as they are (an aggregate is unpacked into its records), until each bad entry
   * fails alone and the others are sent.
   */
  function split(shardId: string, entries: Entry<T>[]): void {
    const parts = entries.length === 1 ? [membersOf(entries[0])] : [entries.slice(0, entries.length >> 1), entries.slice(entries.length >> 1)];
    const batches = parts.map((part) => ({ shardId, entries: part as Entry<T>[], bytes: sumSizes(part) }));
    batches.forEach((b) => aggregated.add(b));
    const q = queues.get(shardId);
    if (q === undefined) queues.set(shardId, batches);
    else q.unshift(...batches);
  }

  function scheduleRetry(shardId: string, records: HeldRecord<T>[], code: string): void {
    const attempt = records.reduce((n, r) => Math.max(n, r.attempts), 1);
    const delayMs = backoffDelay(attempt, o.retry.baseDelayMs, o.retry.maxDelayMs, o.retry.random);
    const due = scheduler.now() + delayMs;
    const later = records.filter((r) => due - r.createdAt < o.recordTtlMs);
    if (later.length < records.length) expire(records.filter((r) => due - r.createdAt >= o.recordTtlMs), code, shardId);
    if (later.length === 0) return;
    for (const r of later) backlog.wait(r, shardId);
    const group = { timer: undefined as unknown as Subscription, shardId, entries: later };
    group.timer = scheduler.schedule(() => {
      retries.delete(group);
      group.entries.forEach(route);
    }, delayMs);
    retries.add(group);
    emit({ type: 'retryScheduled', shardId, attempt, delayMs, errorCode: code, count: later.length });
  }

  /**
   * Removes the oldest records not in flight (one record, or one aggregate's): sealed batches, buffers,
   * retries, the map wait. With `shardId` (or null: the records waiting for a map), only that shard's.
   */
  function takeOldest(shardId?: string | null): HeldRecord<T>[] {
    let sealed: HeldBatch<T> | undefined;
    if (shardId !== null) {
      for (const [id, q] of queues) {
        while (q.length > 0 && q[0].entries.length === 0) q.shift();
        if (q.length === 0) queues.delete(id);
        else if (shardId !== undefined && id !== shardId) continue;
        else if (sealed === undefined || membersOf(q[0].entries[0])[0].createdAt < membersOf(sealed.entries[0])[0].createdAt) sealed = q[0];
      }
      if (sealed !== undefined) {
        const e = sealed.entries.shift()!;
        sealed.bytes -= e.size;
        return membersOf(e);
      }
      const buffered = batcher.shift(shardId);
      if (buffered !== undefined) return [buffered];
      for (const group of retries) {
        if (shardId !== undefined && group.shardId !== shardId) continue;
        const r = group.entries.shift();
        if (group.entries.length === 0) {
          group.timer.unsubscribe();
          retries.delete(group);
        }
        if (r !== undefined) return [r];
      }
      if (shardId !== undefined) return [];
    }
    const waiting = shardMap.shift() as HeldRecord<T> | undefined;
    return waiting === undefined ? [] : [waiting];
  }

  /** The stream cannot be written: fail everything held (in-flight requests settle on their own). */
  function breakStream(code: string, message: string): void {
    if (streamError !== undefined) return;
    streamError = new KinesisStreamError(code, message);
    emit({ type: 'streamError', code, message });
    const waiting = [
      ...shardMap.drain(),
      ...batcher.drain(),
      ...[...queues.values()].flat().flatMap((b) => membersOfAll(b.entries)),
      ...ready.splice(0).flatMap((b) => membersOfAll(b.entries)),
      ...unverified.splice(0).flatMap((u) => u.records),
      ...[...retries].flatMap((g) => (g.timer.unsubscribe(), g.entries)),
    ] as HeldRecord<T>[];
    retries.clear();
    queues.clear();
    for (const r of waiting) fail(r, code, message, false);
    sinks.forEach((sink) => sink.check());
  }

  const fits = (size: number) => held.records + 1 <= o.maxBufferedRecords && held.bytes + size <= o.maxBufferedBytes;

  /** Drops the oldest waiting records (of one shard, or any) while `full()`; how many were dropped. */
  function dropOldestWhile(full: () => boolean, shardId?: string | null): number {
    let dropped = 0;
    for (let rs = full() ? takeOldest(shardId) : []; rs.length > 0; rs = full() ? takeOldest(shardId) : []) {
      for (const r of rs) fail(r, 'Dropped', 'dropped to make room for newer values (overflow: dropOldest)', true);
      dropped += rs.length;
    }
    return dropped;
  }

  /** Why a record of `size` bytes bound for the shard would not fit now, or undefined when it fits. */
  function room(size: number, shardId: string | undefined): string | undefined {
    if (!fits(size)) {
      return `the producer holds ${held.records} values, ${held.bytes} bytes (maxBufferedRecords ${o.maxBufferedRecords}, maxBufferedBytes ${o.maxBufferedBytes})`;
    }
    // Before a shard map there is no shard to time a value against: the memory ceilings alone bound it
    // (pressure$ still counts the values waiting for a map, so pulled sources pause).
    if (shardId === undefined) return undefined;
    const waitMs = backlog.waitIfAdded(shardId, size);
    if (waitMs <= maxWaitMs) return undefined;
    return `it would wait ${Math.round(waitMs)} ms for ${shardId} at its current rate of ${Math.round(rateOf(shardId))} records/s, more than a third of its recordTtlMs (${Math.round(maxWaitMs)} ms)`;
  }

  return {
    signals,
    pressure,
    held,
    sinks,
    get streamError() {
      return streamError;
    },
    /**
     * Makes room for a new record under the memory ceilings and the wait bound, dropping the oldest
     * waiting records when the policy is `'dropOldest'` (of its own shard, for the wait bound: others
     * would not make it sooner). Returns why it does not fit, or undefined when it does.
     */
    admit(record: EncodedRecord<T>): string | undefined {
      const map = shardMap.current();
      const shardId = map !== undefined && routeRecord(record, map) ? (record as RoutedRecord<T>).shardId : undefined;
      if (room(record.size, shardId) === undefined) return undefined;
      if (o.overflow === 'dropOldest') {
        let dropped = dropOldestWhile(() => !fits(record.size));
        if (shardId !== undefined) dropped += dropOldestWhile(() => backlog.waitIfAdded(shardId, record.size) > maxWaitMs, shardId);
        if (dropped > 0) emit({ type: 'dropped', count: dropped, policy: 'dropOldest' });
      }
      const reason = room(record.size, shardId);
      if (reason !== undefined) updatePressure(true);
      return reason;
    },
    /** Takes a freshly encoded record from a pipeline. */
    accept(record: EncodedRecord<T>, sink: OutcomeSink<T>): void {
      const r = record as HeldRecord<T>;
      r.sink = sink;
      held.records++;
      held.bytes += r.size;
      route(r);
      updatePressure();
    },
    /** Stops lingering until `endDrain`: for a completed pipeline's records or a closing producer. */
    beginDrain(): void {
      draining++;
      batcher.flush();
    },
    endDrain(): void {
      draining--;
    },
    /** Resolves when no record is held. */
    whenIdle: () => (held.records === 0 ? Promise.resolve() : new Promise<void>((resolve) => idle.push(resolve))),
    dispose(): void {
      disposed = true;
      batcher.dispose();
      shardMap.dispose();
      flushTimer?.unsubscribe();
      retries.forEach((g) => g.timer.unsubscribe());
      limiters?.dispose();
      pressure.complete();
      signals.complete();
    },
  };
}

export type Engine<T> = ReturnType<typeof createEngine<T>>;
