import type { SchedulerLike, Subscription } from 'rxjs';
import type { AggregatePacker, KinesisEntry } from '../batch/aggregate.js';
import type { Batch } from '../batch/batcher.js';
import { cutBatch } from '../batch/cut.js';
import type { RoutedRecord } from '../records/route.js';
import { createShardQueue, type ShardQueue } from '../batch/shard-queue.js';

/** One shard's records waiting for its budget: queued for a batch, or waiting out a retry's backoff. */
interface Backlog<R extends RoutedRecord<unknown>> {
  queue: ShardQueue<R>;
  /** Batches that go out as they are, before anything is cut from the queue: halves of a refused request. */
  halves: Batch<KinesisEntry<R>>[];
  /** A half is in flight (counted only when halves go one at a time). */
  halfOut: boolean;
  /** Retries in backoff, oldest first. */
  delayed: { timer: Subscription; records: R[] }[];
  delayedRecords: number;
  delayedBytes: number;
  linger: Subscription | undefined;
  /** The head record the linger timer is set for. */
  lingering: R | undefined;
}

export interface ShardBacklogsOptions<R extends RoutedRecord<unknown>> {
  scheduler: SchedulerLike;
  batch: { maxCount: number; maxBytes: number; lingerMs: number };
  packer: AggregatePacker | undefined;
  /** A backlog's weight in limiter units: records and bytes together (with aggregation, Kinesis records). */
  weightOf(records: number, bytes: number): number;
  /** The shard's current rate, in limiter units per second. */
  rateOf(shardId: string): number;
  /**
   * The heaviest batch the shard's limiter grants at once, in limiter units (none without limits). A queue
   * that weighs it already makes a whole request: lingering on would only delay it.
   */
  grantWeight?: ((shardId: string) => number) | undefined;
  /** Batches go out without lingering (the producer drains, or is under pressure). */
  urgent(): boolean;
  /** The shard has nothing in flight or waiting for its budget. */
  isIdle(shardId: string): boolean;
  /** Something may be ready to send. */
  wake(): void;
  /** Records whose retry is due go back through routing, ahead of their shard's queue. */
  due(records: R[]): void;
  /** Whether a record's TTL has ended. */
  isLate(record: R): boolean;
  /** Records at the head of a queue whose TTL ended: they fail before they take the shard's budget. */
  expire(records: R[], shardId: string): void;
  /**
   * Halves go one at a time, each once the one before has its answer (per-key order: a key's values in
   * two halves in flight together could be stored out of order).
   */
  halvesInTurn: boolean;
}

/**
 * What waits for each shard, owned in one place: the shard's queue (batches are cut from its head
 * when it is full, has lingered, or the shard is idle with a whole aggregate) and its retries in
 * backoff; and how long a value arriving now would wait behind them at the shard's rate.
 */
export function createShardBacklogs<R extends RoutedRecord<unknown>>(o: ShardBacklogsOptions<R>) {
  const { scheduler, batch } = o;
  const backlogs = new Map<string, Backlog<R>>();
  // One object, updated in place: a record queued behind others makes its shard the busiest, and a new
  // object for each would be garbage per value.
  const busiest: { shardId: string | undefined; waitMs: number } = { shardId: undefined, waitMs: 0 };
  let stale = false;
  /** Halves taken, until their answer. */
  const halves = new WeakSet<Batch<KinesisEntry<R>>>();

  const of = (shardId: string): Backlog<R> => {
    let b = backlogs.get(shardId);
    if (b === undefined) backlogs.set(shardId, (b = { queue: createShardQueue<R>(shardId), halves: [], halfOut: false, delayed: [], delayedRecords: 0, delayedBytes: 0, linger: undefined, lingering: undefined }));
    return b;
  };
  const waitOf = (shardId: string, b: Backlog<R> | undefined, extraRecords = 0, extraBytes = 0) => {
    const records = (b ? b.queue.length + b.delayedRecords : 0) + extraRecords;
    return records === 0 ? 0 : (o.weightOf(records, (b ? b.queue.bytes + b.delayedBytes : 0) + extraBytes) / o.rateOf(shardId)) * 1000;
  };
  function grew(shardId: string, b: Backlog<R>): void {
    if (stale) return;
    const waitMs = waitOf(shardId, b);
    if (waitMs >= busiest.waitMs) {
      busiest.shardId = shardId;
      busiest.waitMs = waitMs;
    }
  }
  const shrank = (shardId: string) => (stale ||= shardId === busiest.shardId);

  /** Wakes the sender once when the record at the head of the queue has lingered. */
  function linger(b: Backlog<R>): void {
    const head = b.queue.peek();
    if (head === undefined || head === b.lingering) return;
    b.linger?.unsubscribe();
    b.lingering = head;
    b.linger = scheduler.schedule(() => {
      b.linger = undefined;
      if (b.queue.peek() === head && scheduler.now() - head.createdAt < batch.lingerMs) {
        // Early by the scheduler's clock: a timer counts from the event loop's cached time, which a busy
        // turn leaves behind the time the head was stamped with. Wait out the rest, or it would never go.
        b.lingering = undefined;
        return linger(b);
      }
      o.wake();
      // The head may have changed without a batch (dropped): its own linger needs a wake too.
      linger(b);
    }, Math.max(0, head.createdAt + batch.lingerMs - scheduler.now()));
  }

  /** Whether the shard's queue makes a full batch, or a whole aggregate while the shard is idle: it goes at once. */
  function isFull(shardId: string, b: Backlog<R>): boolean {
    const { queue } = b;
    if (queue.bytes >= batch.maxBytes || (o.packer === undefined && queue.length >= batch.maxCount)) return true;
    if (o.packer === undefined && o.grantWeight !== undefined && o.weightOf(queue.length, queue.bytes) >= o.grantWeight(shardId)) return true;
    // A whole aggregate only lives longer by lingering on an idle shard; a busy one keeps gathering.
    return o.packer !== undefined && queue.bytes >= o.packer.maxBytes && o.isIdle(shardId);
  }

  function isReady(shardId: string, b: Backlog<R>): boolean {
    if (b.halves.length > 0 && !b.halfOut) return true;
    const head = b.queue.peek();
    if (head === undefined) return false;
    return o.urgent() || scheduler.now() - head.createdAt >= batch.lingerMs || isFull(shardId, b);
  }

  function queued(shardId: string, b: Backlog<R>): 'now' | 'soon' | undefined {
    grew(shardId, b);
    linger(b);
    if (isFull(shardId, b)) return 'now';
    return isReady(shardId, b) ? 'soon' : undefined;
  }

  /** The batch has its answer: when it was a half, the next half may go. */
  function answered(batch: Batch<KinesisEntry<R>>): void {
    if (halves.delete(batch)) of(batch.shardId).halfOut = false;
  }

  return {
    /**
     * Queues a routed record. Returns `'now'` when its shard has a full batch, `'soon'` when a part-filled
     * one may go once the records routed in this turn are in (it lingered, or batches go out urgently).
     */
    push(record: R): 'now' | 'soon' | undefined {
      const b = of(record.shardId);
      b.queue.push(record);
      return queued(record.shardId, b);
    },
    /**
     * Queues routed records of one shard ahead of its queue, in their order: retries whose backoff ended.
     * They are older than what queued behind them, so they go first, as their TTL ends first.
     */
    pushFirst(shardId: string, records: R[]): 'now' | 'soon' | undefined {
      const b = of(shardId);
      b.queue.unshift(records);
      return queued(shardId, b);
    },
    answered,
    /** A batch goes out as `replacement` (its late records taken out), or not at all. */
    replaced(batch: Batch<KinesisEntry<R>>, replacement: Batch<KinesisEntry<R>> | undefined): void {
      if (replacement === batch || !halves.has(batch)) return;
      if (replacement === undefined) return answered(batch);
      halves.delete(batch);
      halves.add(replacement);
    },
    /** Batches that go out first and as they are: the halves of a request the service refused as invalid. */
    sendFirst(shardId: string, batches: Batch<KinesisEntry<R>>[]): void {
      of(shardId).halves.unshift(...batches);
    },
    readyShards(): string[] {
      const ready: string[] = [];
      for (const [shardId, b] of backlogs) if (isReady(shardId, b)) ready.push(shardId);
      return ready;
    },
    /** Cuts the shard's next batch from the head of its queue. */
    take(shardId: string, fits: (count: number, bytes: number) => boolean): Batch<KinesisEntry<R>> | undefined {
      const b = backlogs.get(shardId);
      if (b === undefined) return undefined;
      if (b.halves.length > 0 && !b.halfOut) {
        b.halfOut = o.halvesInTurn;
        const half = b.halves.shift()!;
        halves.add(half);
        return half;
      }
      const late: R[] = [];
      for (let head = b.queue.peek(); head !== undefined && o.isLate(head); head = b.queue.peek()) late.push(b.queue.shift()!);
      if (late.length > 0) o.expire(late, shardId);
      const cut = cutBatch(b.queue, { maxCount: batch.maxCount, maxBytes: batch.maxBytes, fits }, o.packer);
      shrank(shardId);
      linger(b);
      return cut;
    },
    /** Holds records of the shard for `delayMs`, then hands them to `due`. */
    delay(shardId: string, records: R[], delayMs: number): void {
      const b = of(shardId);
      const group = { timer: undefined as unknown as Subscription, records };
      b.delayed.push(group);
      b.delayedRecords += records.length;
      for (const r of records) b.delayedBytes += r.size;
      group.timer = scheduler.schedule(() => {
        b.delayed.splice(b.delayed.indexOf(group), 1);
        b.delayedRecords -= group.records.length;
        for (const r of group.records) b.delayedBytes -= r.size;
        shrank(shardId);
        o.due(group.records);
      }, delayMs);
      grew(shardId, b);
    },
    /** The oldest waiting record of the shard (or of the shard whose head is oldest), taken out: for `dropOldest`. */
    shiftOldest(shardId?: string): R | undefined {
      let b = shardId === undefined ? undefined : backlogs.get(shardId);
      if (shardId === undefined) {
        for (const c of backlogs.values()) if (c.queue.length > 0 && (b === undefined || c.queue.peek()!.createdAt < b.queue.peek()!.createdAt)) b = c;
        if (b === undefined) for (const c of backlogs.values()) if (c.delayed.length > 0) b = c;
      }
      if (b === undefined) return undefined;
      const id = b.queue.shardId;
      shrank(id);
      const head = b.queue.shift();
      if (head !== undefined) return head;
      const group = b.delayed[0];
      if (group === undefined) return undefined;
      const r = group.records.shift()!;
      b.delayedRecords--;
      b.delayedBytes -= r.size;
      if (group.records.length === 0) {
        group.timer.unsubscribe();
        b.delayed.shift();
      }
      return r;
    },
    /** How long a value of `size` bytes arriving now would wait for the shard, in ms. */
    waitIfAdded: (shardId: string, size: number) => waitOf(shardId, backlogs.get(shardId), 1, size),
    /** The longest wait of any shard now, in ms, and that shard: read at once, it changes as records queue. */
    busiest(): Readonly<{ shardId: string | undefined; waitMs: number }> {
      if (stale) {
        stale = false;
        busiest.shardId = undefined;
        busiest.waitMs = 0;
        backlogs.forEach((b, shardId) => grew(shardId, b));
      }
      return busiest;
    },
    /** Rates move with every answer: the busiest shard is found again at the next look. */
    ratesChanged(): void {
      stale = true;
    },
    /** Whether records wait for the shard. */
    has: (shardId: string) => (backlogs.get(shardId)?.queue.length ?? 0) > 0,
    /** Every waiting record, taken out (the stream broke). */
    drain(): R[] {
      const all: R[] = [];
      for (const b of backlogs.values()) {
        b.linger?.unsubscribe();
        b.linger = undefined;
        all.push(...b.queue.drain(), ...b.halves.splice(0).flatMap((h) => h.entries.flatMap((e) => ('records' in e ? e.records : [e]))));
        for (const g of b.delayed.splice(0)) {
          g.timer.unsubscribe();
          all.push(...g.records);
        }
        b.delayedRecords = b.delayedBytes = 0;
      }
      stale = true;
      return all;
    },
    dispose(): void {
      for (const b of backlogs.values()) {
        b.linger?.unsubscribe();
        b.delayed.forEach((g) => g.timer.unsubscribe());
      }
    },
  };
}

export type ShardBacklogs<R extends RoutedRecord<unknown>> = ReturnType<typeof createShardBacklogs<R>>;
