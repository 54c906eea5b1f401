import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { SchedulerLike } from 'rxjs';
import type { Batch } from '../batch/batcher.js';
import type { ShardLimiters } from '../throttle/shard-limiters.js';
import type { SendSignal } from './signals.js';
import { putBatch, type BatchResult, type SendableEntry } from '../kinesis/put-records.js';
import type { StreamRef } from '../kinesis/shard-map.js';

/** Where the sender takes its batches from: the producer's shard queues, or the batches `putBatches` receives. */
export interface BatchSource<E extends SendableEntry> {
  /** Shards with a batch to go now. */
  readyShards(): Iterable<string>;
  /** Cuts the shard's next batch, within what `fits` (the weight its limiter grants at once) unless its one entry is heavier. */
  take(shardId: string, fits: (count: number, bytes: number) => boolean): Batch<E> | undefined;
}

export interface SenderOptions<E extends SendableEntry> {
  client: KinesisClient;
  stream: StreamRef;
  scheduler: SchedulerLike;
  requestTimeoutMs: number;
  maxInFlightPerShard: number;
  maxConcurrentRequests: number;
  /** Each shard's budget; undefined sends as fast as the request slots allow. */
  limiters: ShardLimiters | undefined;
  source: BatchSource<E>;
  /** The batch as it goes out: what is still to send (records past their TTL taken out), or undefined. */
  prepare(batch: Batch<E>): Batch<E> | undefined;
  /** Records enter (+) or leave (-) flight. */
  flying(records: number): void;
  /** A request was answered: decide its records. Returns how many entries the service throttled. */
  settled(batch: Batch<E>, result: BatchResult<E>): number;
  emit(signal: SendSignal): void;
}

const always = () => true;
const userRecords = (entries: readonly SendableEntry[]) => entries.reduce((n, e) => n + (e.records?.length ?? 1), 0);

/** Records stored, and refused per error code: each refused entry, or every entry of a request that failed as a whole. */
function answerCounts(entries: readonly SendableEntry[], result: BatchResult<SendableEntry>) {
  let userRecordsSucceeded = 0;
  for (const { entry } of result.succeeded) userRecordsSucceeded += entry.records?.length ?? 1;
  if (result.requestError !== undefined) {
    return { userRecordsSucceeded, errors: { [result.requestError.code]: entries.length }, userRecordErrors: { [result.requestError.code]: userRecords(entries) } };
  }
  if (result.retry.length === 0 && result.failed.length === 0) return { userRecordsSucceeded };
  const errors: Record<string, number> = {};
  const userRecordErrors: Record<string, number> = {};
  for (const { code, entry } of [...result.retry, ...result.failed]) {
    errors[code] = (errors[code] ?? 0) + 1;
    userRecordErrors[code] = (userRecordErrors[code] ?? 0) + (entry.records?.length ?? 1);
  }
  return { userRecordsSucceeded, errors, userRecordErrors };
}

/**
 * The throttle and send stages: takes each ready shard's next batch, waits for the shard's budget with
 * a request slot reserved (one batch at the limiter per shard, so a grant goes out at once and what
 * waits stays where it can be dropped or expire), sends, and feeds each answer back to the limiter
 * and to `settled`.
 */
export function createSender<E extends SendableEntry>(o: SenderOptions<E>) {
  const { limiters, scheduler } = o;
  /** Requests in flight or reserved for a batch at its shard's limiter, per shard and in all. */
  const slotsByShard = new Map<string, number>();
  let slots = 0;
  /** Shards with a batch waiting for their budget. */
  const atLimiter = new Set<string>();
  let disposed = false;

  const hasSlot = (shardId: string) => slots < o.maxConcurrentRequests && (slotsByShard.get(shardId) ?? 0) < o.maxInFlightPerShard;
  const reserve = (shardId: string, n: 1 | -1) => {
    slots += n;
    slotsByShard.set(shardId, (slotsByShard.get(shardId) ?? 0) + n);
  };

  function pump(): void {
    if (disposed) return;
    for (const shardId of o.source.readyShards()) {
      if (limiters === undefined) {
        for (let b = hasSlot(shardId) ? o.source.take(shardId, always) : undefined; b !== undefined; b = hasSlot(shardId) ? o.source.take(shardId, always) : undefined) {
          reserve(shardId, 1);
          send(b);
        }
      } else if (!atLimiter.has(shardId) && hasSlot(shardId)) {
        const maxWeight = limiters.maxWeight(shardId);
        const batch = o.source.take(shardId, (count, bytes) => limiters.weightOf(count, bytes) <= maxWeight);
        if (batch !== undefined) acquire(batch);
      }
    }
  }

  function acquire(batch: Batch<E>): void {
    const { shardId } = batch;
    const weight = limiters!.weightOf(batch.entries.length, batch.bytes);
    if (limiters!.wouldWait(shardId, weight)) {
      o.emit({ type: 'throttled', shardId, source: 'local', count: batch.entries.length, rate: limiters!.rate(shardId) });
    }
    atLimiter.add(shardId);
    reserve(shardId, 1);
    limiters!.acquire(shardId, weight).then(
      () => {
        atLimiter.delete(shardId);
        send(batch);
        pump();
      },
      () => {
        atLimiter.delete(shardId);
        reserve(shardId, -1);
      },
    );
  }

  /** Sends a batch whose slot is reserved; the slot is freed when the answer comes. */
  function send(ready: Batch<E>): void {
    const batch = disposed ? undefined : o.prepare(ready);
    if (batch === undefined) return reserve(ready.shardId, -1);
    const { shardId } = batch;
    const records = userRecords(batch.entries);
    o.flying(records);
    const startedAt = scheduler.now();
    putBatch(o.client, o.stream, batch, { requestTimeoutMs: o.requestTimeoutMs, scheduler }).then((result) => {
      reserve(shardId, -1);
      o.flying(-records);
      const throttled = o.settled(batch, result);
      if (limiters !== undefined && throttled > 0) {
        o.emit({ type: 'throttled', shardId, source: 'service', count: throttled, rate: limiters.throttled(shardId) });
      } else if (limiters !== undefined && result.succeeded.length > 0) limiters.succeeded(shardId);
      o.emit({
        type: 'batchSent',
        shardId,
        records: batch.entries.length,
        userRecords: records,
        bytes: batch.bytes,
        succeeded: result.succeeded.length,
        retried: result.retry.length,
        failed: result.failed.length,
        durationMs: scheduler.now() - startedAt,
        ...(result.requestError ? { errorCode: result.requestError.code } : {}),
        ...answerCounts(batch.entries, result),
      });
      pump();
    });
  }

  return {
    pump,
    /** Whether the shard has nothing at its limiter or in flight, and a request slot is free. */
    isIdle: (shardId: string) => !slotsByShard.get(shardId) && slots < o.maxConcurrentRequests,
    dispose(): void {
      disposed = true;
    },
  };
}

export type Sender<E extends SendableEntry> = ReturnType<typeof createSender<E>>;
