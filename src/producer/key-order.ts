import type { SchedulerLike } from 'rxjs';
import { AGGREGATE_OVERHEAD_BYTES } from '../kpl/format.js';
import type { OrderedUnit } from '../records/encode.js';
import { utf8Length } from '../utf8/utf8.js';
import type { HeldRecord } from './holdings.js';

/** Bytes a user record can add to an aggregate beyond its data: its fields' tags and lengths (protobuf). */
const PER_RECORD_BYTES = 24;
/** Bytes a key can add to an aggregate's key tables beyond its own: tag and length. */
const PER_KEY_BYTES = 8;
/** A first guess of a request's round trip, before a key's turn is measured, in ms. */
const FIRST_ROUND_TRIP_MS = 100;
/** Turns are averaged over the last two windows of this length, in ms: a retry's backoff counts, but one does not swing it. */
const TURN_WINDOW_MS = 1_000;
/** How often, at most, the longest wait of any key is looked for again, in ms. */
const RESCAN_MS = 50;

/** One key's values: the unit out (queued, in flight or in backoff), and the values waiting behind it. */
interface Lane<R> {
  out: OrderedUnit | undefined;
  parked: R[];
  /** Index of the first waiting value in `parked`. */
  head: number;
}

export interface KeyOrderOptions {
  scheduler: SchedulerLike;
  /** With aggregation, the data bytes and user records one aggregate holds; without, undefined. */
  aggregate: { maxBytes: number; maxCount: number } | undefined;
  /** How long a part-filled batch waits: a key's first unit may wait that long before it goes. */
  lingerMs: number;
  /** A unit may go: route its values, in order, ahead of their shard's queue. */
  release(records: HeldRecord<unknown>[]): void;
}

/**
 * Per-key order (`ordering: 'perKey'`): each partition key has at most one unit out at a time, and its
 * other values wait here in arrival order. A unit is one value, or with aggregation the key's waiting
 * values that fit one aggregate, which travel in it together: one Kinesis record, stored whole or not
 * at all. When every value of a unit has its outcome, the next unit goes. So a key's values are stored
 * in arrival order whatever fails, throttles or is retried, and a slow key holds back only itself.
 */
export function createKeyOrder(k: KeyOrderOptions) {
  const lanes = new Map<string, Lane<HeldRecord<unknown>>>();
  const releasing: HeldRecord<unknown>[][] = [];
  let busy = false;
  const turns = createTurns(k.scheduler, k.lingerMs + FIRST_ROUND_TRIP_MS);
  let longest = { units: 0, at: -Infinity };
  const totals = { records: 0, bytes: 0 };

  /** Takes the next unit from the lane's waiting values (at least one). */
  function nextUnit(lane: Lane<HeldRecord<unknown>>): HeldRecord<unknown>[] {
    const first = lane.parked[lane.head];
    const unit: OrderedUnit = { pending: 0, bytes: AGGREGATE_OVERHEAD_BYTES + keyBytes(first), count: 0, since: k.scheduler.now() };
    const records: HeldRecord<unknown>[] = [];
    while (lane.head < lane.parked.length) {
      const r = lane.parked[lane.head];
      const bytes = r.data.length + PER_RECORD_BYTES;
      if (unit.count > 0 && (k.aggregate === undefined || unit.count >= k.aggregate.maxCount || unit.bytes + bytes > k.aggregate.maxBytes)) break;
      lane.parked[lane.head++] = undefined as unknown as HeldRecord<unknown>;
      totals.records--;
      totals.bytes -= r.size;
      unit.bytes += bytes;
      unit.count++;
      unit.pending++;
      r.unit = unit;
      records.push(r);
    }
    compact(lane);
    lane.out = unit;
    return records;
  }

  /** Units in the lane's waiting values, counting a new one where an aggregate would be full. */
  function unitsOf(lane: Lane<HeldRecord<unknown>>, extraBytes = 0): number {
    const waiting = lane.parked.length - lane.head;
    if (k.aggregate === undefined) return waiting;
    let bytes = extraBytes;
    for (let i = lane.head; i < lane.parked.length; i++) bytes += lane.parked[i].data.length + PER_RECORD_BYTES;
    return Math.max(Math.ceil(waiting / k.aggregate.maxCount), Math.ceil(bytes / k.aggregate.maxBytes));
  }

  function flush(): void {
    if (busy) return;
    busy = true;
    try {
      // One after another, not nested: a unit decided as it is released (the stream broke) releases the next.
      for (let records = releasing.shift(); records !== undefined; records = releasing.shift()) k.release(records);
    } finally {
      busy = false;
    }
  }

  return {
    /** Values waiting behind their key's unit: counted in what the producer holds, not yet in any shard's queue. */
    totals,
    /**
     * Takes a value that just entered the producer: true when it may go now (its key had nothing out;
     * it is a unit of its own), false when it waits for its key's unit.
     */
    enter(r: HeldRecord<unknown>): boolean {
      const lane = lanes.get(r.partitionKey);
      if (lane === undefined) {
        const unit: OrderedUnit = { pending: 1, bytes: 0, count: 1, since: k.scheduler.now() };
        r.unit = unit;
        lanes.set(r.partitionKey, { out: unit, parked: [], head: 0 });
        return true;
      }
      lane.parked.push(r);
      totals.records++;
      totals.bytes += r.size;
      return false;
    },
    /** A value has its outcome: when it was the last of its key's unit, the key's next unit goes. */
    decided(r: HeldRecord<unknown>): void {
      const unit = r.unit;
      if (unit === undefined || --unit.pending > 0) return;
      const lane = lanes.get(r.partitionKey);
      if (lane === undefined || lane.out !== unit) return;
      turns.add(k.scheduler.now() - unit.since);
      if (lane.head === lane.parked.length) return void lanes.delete(r.partitionKey);
      releasing.push(nextUnit(lane));
      flush();
    },
    /**
     * How long a value of `size` data bytes arriving now for `key` would wait for its key's units ahead
     * of it, in ms: one turn (release to outcome) each, at the turns measured lately.
     */
    waitIfAdded(key: string, dataBytes: number): number {
      const lane = lanes.get(key);
      if (lane === undefined) return 0;
      return (unitsOf(lane, dataBytes + PER_RECORD_BYTES) + (k.aggregate === undefined ? 1 : 0)) * turns.meanMs();
    },
    /** The waiting value of `key` that came first, taken out (for `dropOldest`). */
    shiftOldest(key: string): HeldRecord<unknown> | undefined {
      const lane = lanes.get(key);
      if (lane === undefined || lane.head === lane.parked.length) return undefined;
      const r = lane.parked[lane.head];
      lane.parked[lane.head++] = undefined as unknown as HeldRecord<unknown>;
      totals.records--;
      totals.bytes -= r.size;
      compact(lane);
      return r;
    },
    /** The longest wait of any key's waiting values now, in ms (looked for again at most every 50 ms). */
    longestWaitMs(): number {
      const now = k.scheduler.now();
      if (now - longest.at >= RESCAN_MS) {
        let units = 0;
        for (const lane of lanes.values()) if (lane.parked.length > lane.head) units = Math.max(units, unitsOf(lane));
        longest = { units, at: now };
      }
      return longest.units * turns.meanMs();
    },
    /** Every waiting value, taken out; no key has a unit out any more (the stream broke). */
    drain(): HeldRecord<unknown>[] {
      const all: HeldRecord<unknown>[] = [];
      for (const lane of lanes.values()) for (let i = lane.head; i < lane.parked.length; i++) all.push(lane.parked[i]);
      lanes.clear();
      totals.records = totals.bytes = 0;
      return all;
    },
  };
}

/** The mean time from a unit's release to its last outcome, over the turns that ended in the last one to two windows. */
function createTurns(scheduler: SchedulerLike, firstGuessMs: number) {
  let windowStart = scheduler.now();
  let current = { sum: 0, count: 0 };
  let previous = { sum: 0, count: 0 };
  const roll = () => {
    const now = scheduler.now();
    if (now - windowStart < TURN_WINDOW_MS) return;
    previous = now - windowStart < 2 * TURN_WINDOW_MS ? current : { sum: 0, count: 0 };
    current = { sum: 0, count: 0 };
    windowStart = now;
  };
  return {
    add(ms: number): void {
      roll();
      current.sum += ms;
      current.count++;
    },
    meanMs(): number {
      roll();
      const count = current.count + previous.count;
      return count === 0 ? firstGuessMs : (current.sum + previous.sum) / count;
    },
  };
}

/** Spent slots kept before a lane's waiting values are moved to the front. */
const COMPACT_AT = 1024;

/** Drops the spent slots before a lane's head once they are many and half of it: a busy key's list stays its size. */
function compact(lane: Lane<HeldRecord<unknown>>): void {
  if (lane.head === lane.parked.length) (lane.parked = []), (lane.head = 0);
  else if (lane.head >= COMPACT_AT && lane.head * 2 >= lane.parked.length) (lane.parked = lane.parked.slice(lane.head)), (lane.head = 0);
}

function keyBytes(r: HeldRecord<unknown>): number {
  return utf8Length(r.partitionKey) + PER_KEY_BYTES + (r.explicitHashKey === undefined ? 0 : r.explicitHashKey.length + PER_KEY_BYTES);
}

export type KeyOrder = ReturnType<typeof createKeyOrder>;
