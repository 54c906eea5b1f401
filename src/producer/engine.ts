import { Subject, type Subscription } from 'rxjs';
import { createBatcher, type Batch } from '../batch.js';
import type { EncodedRecord } from '../encode.js';
import { KinesisStreamError } from '../errors.js';
import { putBatch, type BatchResult } from '../put.js';
import { backoffDelay } from '../retry/backoff.js';
import { routeRecord, type RoutedRecord } from '../route.js';
import { failure, type PutOutcome } from '../types.js';
import { createShardMapHolder } from './shard-map-holder.js';
import type { ResolvedOptions } from './options.js';
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
}

/**
 * The producer's shared core: routes held records into per-shard batches, sends them within the
 * concurrency limits, decides each record's outcome, and retries the failed entries alone.
 */
export function createEngine<T>(o: ResolvedOptions) {
  const { scheduler } = o;
  const signals = new Subject<ProducerSignal>();
  const emit = (signal: ProducerSignal) => signals.next(signal);
  const held = { records: 0, bytes: 0 };
  const queue: Batch<HeldRecord<T>>[] = [];
  const inFlightByShard = new Map<string, number>();
  let inFlight = 0;
  const retries = new Set<{ timer: Subscription; entries: HeldRecord<T>[] }>();
  const sinks = new Set<OutcomeSink<T>>();
  const idle: (() => void)[] = [];
  let streamError: KinesisStreamError | undefined;
  /** Pipelines that completed with records still held, plus one while closing: batches then go out without lingering. */
  let draining = 0;
  let flushTimer: Subscription | undefined;

  const batcher = createBatcher<HeldRecord<T>>(o.batch, (batch) => {
    queue.push(batch);
    pump();
  });
  const shardMap = createShardMapHolder(o, emit, {
    routeWaiting: (records) => records.forEach((r) => route(r as HeldRecord<T>)),
    expire: (record, code) => expire([record as HeldRecord<T>], code, undefined),
    breakStream,
  });

  function decide(record: HeldRecord<T>, outcome: PutOutcome<T>): void {
    held.records--;
    held.bytes -= record.size;
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
      batcher.add(record);
      if (draining > 0) flushSoon();
    } else shardMap.wait(record as EncodedRecord<unknown>);
  }

  /** Seals part-filled batches once the records routed in this turn are in. */
  function flushSoon(): void {
    flushTimer ??= scheduler.schedule(() => {
      flushTimer = undefined;
      batcher.flush();
    });
  }

  function pump(): void {
    for (let i = 0; i < queue.length && inFlight < o.maxConcurrentRequests; i++) {
      const batch = queue[i];
      const shardInFlight = inFlightByShard.get(batch.shardId) ?? 0;
      if (shardInFlight >= o.maxInFlightPerShard) continue;
      queue.splice(i--, 1);
      send(batch, shardInFlight);
    }
  }

  function send(batch: Batch<HeldRecord<T>>, shardInFlight: number): void {
    const now = scheduler.now();
    const live = batch.entries.filter((r) => now - r.createdAt < o.recordTtlMs);
    if (live.length < batch.entries.length) {
      expire(batch.entries.filter((r) => now - r.createdAt >= o.recordTtlMs), 'none (waited in buffer)', batch.shardId);
      if (live.length === 0) return;
      batch = { shardId: batch.shardId, entries: live, bytes: live.reduce((n, r) => n + r.size, 0) };
    }
    inFlight++;
    inFlightByShard.set(batch.shardId, shardInFlight + 1);
    const sent = batch;
    putBatch(o.client, o.stream, sent, { requestTimeoutMs: o.requestTimeoutMs, scheduler }).then((result) => {
      inFlight--;
      inFlightByShard.set(sent.shardId, (inFlightByShard.get(sent.shardId) ?? 1) - 1);
      settle(sent, result, scheduler.now() - now);
      pump();
    });
  }

  function settle(batch: Batch<HeldRecord<T>>, result: BatchResult<HeldRecord<T>>, durationMs: number): void {
    let unpredicted = false;
    for (const { entry, shardId, sequenceNumber } of result.succeeded) {
      if (shardId !== entry.shardId) unpredicted = true;
      decide(entry, { ok: true, value: entry.value, shardId, sequenceNumber, attempts: entry.attempts });
    }
    if (result.requestError?.kind === 'stream') breakStream(result.requestError.code, result.requestError.message);
    for (const { entry, code, message } of result.failed) fail(entry, code, message, false);
    if (result.retry.length > 0) scheduleRetry(batch.shardId, result.retry.map((r) => r.entry), result.retry[0].code);
    emit({
      type: 'batchSent',
      shardId: batch.shardId,
      records: batch.entries.length,
      bytes: batch.bytes,
      succeeded: result.succeeded.length,
      retried: result.retry.length,
      failed: result.failed.length,
      durationMs,
      ...(result.requestError ? { errorCode: result.requestError.code } : {}),
    });
    if (unpredicted) shardMap.refresh('a record landed on a shard the map did not predict');
  }

  function scheduleRetry(shardId: string, records: HeldRecord<T>[], code: string): void {
    const attempt = records.reduce((n, r) => Math.max(n, r.attempts), 1);
    const delayMs = backoffDelay(attempt, o.retry.baseDelayMs, o.retry.maxDelayMs, o.retry.random);
    const due = scheduler.now() + delayMs;
    const expired = records.filter((r) => due - r.createdAt >= o.recordTtlMs);
    const later = expired.length === 0 ? records : records.filter((r) => due - r.createdAt < o.recordTtlMs);
    expire(expired, code, shardId);
    if (later.length === 0) return;
    const group = { timer: undefined as unknown as Subscription, entries: later };
    group.timer = scheduler.schedule(() => {
      retries.delete(group);
      group.entries.forEach(route);
    }, delayMs);
    retries.add(group);
    emit({ type: 'retryScheduled', shardId, attempt, delayMs, errorCode: code, count: later.length });
  }

  /** The stream cannot be written: fail everything held (in-flight requests settle on their own). */
  function breakStream(code: string, message: string): void {
    if (streamError !== undefined) return;
    streamError = new KinesisStreamError(code, message);
    emit({ type: 'streamError', code, message });
    const waiting = [
      ...shardMap.drain(),
      ...batcher.drain(),
      ...queue.splice(0).flatMap((b) => b.entries),
      ...[...retries].flatMap((g) => (g.timer.unsubscribe(), g.entries)),
    ] as HeldRecord<T>[];
    retries.clear();
    for (const r of waiting) fail(r, code, message, false);
    sinks.forEach((sink) => sink.check());
  }

  return {
    signals,
    held,
    sinks,
    get streamError() {
      return streamError;
    },
    get inFlight() {
      return inFlight;
    },
    /** Takes a freshly encoded record from a pipeline. */
    accept(record: EncodedRecord<T>, sink: OutcomeSink<T>): void {
      const r = record as HeldRecord<T>;
      r.sink = sink;
      held.records++;
      held.bytes += r.size;
      route(r);
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
      batcher.dispose();
      shardMap.dispose();
      flushTimer?.unsubscribe();
      retries.forEach((g) => g.timer.unsubscribe());
      signals.complete();
    },
  };
}

export type Engine<T> = ReturnType<typeof createEngine<T>>;
