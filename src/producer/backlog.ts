/** What waits for one shard's budget: records routed to it and not yet in a request. */
export interface ShardBacklog {
  /** The shard, or undefined for the records that wait for a shard map. */
  readonly shardId: string | undefined;
  records: number;
  bytes: number;
}

/** A record the backlog counts: where it waits now. */
export interface Waiting {
  size: number;
  backlog?: ShardBacklog | undefined;
}

export interface BacklogOptions {
  /** A backlog's weight in the limiter's units (records/s): records and bytes together. */
  weightOf(records: number, bytes: number): number;
  /** The shard's current rate in those units per second. */
  rateOf(shardId: string | undefined): number;
}

/**
 * Per shard, what waits for its budget, and how long a value arriving now would wait behind it at the
 * shard's current rate: the producer's measure of time, so it holds no more than it can send within
 * a record's TTL. Costs O(1) per record; the busiest shard is found again only when it shrank.
 */
export function createBacklog(o: BacklogOptions) {
  const shards = new Map<string | undefined, ShardBacklog>();
  let busiest: ShardBacklog | undefined;
  let busiestMs = 0;
  let stale = false;

  const of = (shardId: string | undefined): ShardBacklog => {
    let b = shards.get(shardId);
    if (b === undefined) shards.set(shardId, (b = { shardId, records: 0, bytes: 0 }));
    return b;
  };
  const waitOf = (b: ShardBacklog, records = b.records, bytes = b.bytes) =>
    records === 0 ? 0 : (o.weightOf(records, bytes) / Math.max(o.rateOf(b.shardId), Number.MIN_VALUE)) * 1000;

  function grew(b: ShardBacklog): void {
    if (stale) return;
    const ms = waitOf(b);
    if (ms >= busiestMs) {
      busiest = b;
      busiestMs = ms;
    }
  }

  function leave(r: Waiting): void {
    const b = r.backlog;
    if (b === undefined) return;
    b.records--;
    b.bytes -= r.size;
    r.backlog = undefined;
    if (b === busiest) stale = true;
  }

  return {
    /** The record now waits on this shard (undefined: for a shard map), wherever it waited before. */
    wait(r: Waiting, shardId: string | undefined): void {
      leave(r);
      const b = of(shardId);
      b.records++;
      b.bytes += r.size;
      r.backlog = b;
      grew(b);
    },
    /** The record goes out in a request, or is decided. */
    leave,
    /** How long a value of `size` bytes arriving now on the shard would wait behind what waits there, in ms. */
    waitIfAdded: (shardId: string | undefined, size: number) => {
      const b = of(shardId);
      return waitOf(b, b.records + 1, b.bytes + size);
    },
    /** The longest wait of any shard now, in ms, and that shard. */
    busiest(): { waitMs: number; shardId: string | undefined } {
      if (stale) {
        stale = false;
        busiest = undefined;
        busiestMs = 0;
        shards.forEach(grew);
      }
      return { waitMs: busiestMs, shardId: busiest?.shardId };
    },
    /** Whether records wait for the shard now. */
    has: (shardId: string) => (shards.get(shardId)?.records ?? 0) > 0,
    /** A shard's rate changed: the busiest is found again at the next look. */
    ratesChanged(): void {
      stale = true;
    },
  };
}

export type Backlog = ReturnType<typeof createBacklog>;
