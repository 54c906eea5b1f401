/** What a shard queue needs of a record: its size, and when it arrived (its linger counts from there). */
export interface Queued {
  size: number;
  createdAt: number;
}

/**
 * One shard's waiting records, in the order they came: batches are cut from the head. An array with a
 * moving head, compacted when half of it is spent, so taking from the front costs O(1).
 */
export interface ShardQueue<R extends Queued> {
  readonly shardId: string;
  /** Records waiting. */
  readonly length: number;
  /** Their bytes (partition keys + data). */
  readonly bytes: number;
  /** The record at the head, or undefined. */
  peek(): R | undefined;
  /** The record `i` places behind the head. */
  at(i: number): R;
  push(record: R): void;
  /** Puts records back at the head, in their order (retries due, a batch that could not go). */
  unshift(records: readonly R[]): void;
  shift(): R | undefined;
  /** Removes and returns every record. */
  drain(): R[];
}

/** Spent head slots kept before the array is compacted. */
const COMPACT_AT = 1024;

export function createShardQueue<R extends Queued>(shardId: string): ShardQueue<R> {
  let items: R[] = [];
  let head = 0;
  let bytes = 0;
  return {
    shardId,
    get length() {
      return items.length - head;
    },
    get bytes() {
      return bytes;
    },
    peek: () => items[head],
    at: (i) => items[head + i],
    push(record) {
      items.push(record);
      bytes += record.size;
    },
    unshift(records) {
      if (records.length === 0) return;
      if (head >= records.length) {
        // Into the spent slots before the head: no copy of the queue.
        head -= records.length;
        for (let i = 0; i < records.length; i++) items[head + i] = records[i];
      } else {
        items = [...records, ...items.slice(head)];
        head = 0;
      }
      for (const r of records) bytes += r.size;
    },
    shift() {
      if (head === items.length) return undefined;
      const record = items[head];
      items[head++] = undefined as unknown as R;
      bytes -= record.size;
      if (head === items.length) {
        items = [];
        head = 0;
      } else if (head >= COMPACT_AT && head * 2 >= items.length) {
        items = items.slice(head);
        head = 0;
      }
      return record;
    },
    drain() {
      const all = items.slice(head);
      items = [];
      head = 0;
      bytes = 0;
      return all;
    },
  };
}
