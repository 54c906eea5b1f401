/**
 * Tracks the most records and bytes accepted within any window of `windowMs`. Acceptances sit in a deque
 * (parallel arrays with a moving head); a window's sum only grows when an acceptance arrives, so checking the
 * window that ends at each arrival finds the exact maximum over all windows.
 */
export interface SlidingWindowMax {
  add(now: number, records: number, bytes: number): void;
  readonly maxRecords: number;
  readonly maxBytes: number;
}

/** Compact the deque once this many expired entries sit before its head. */
const COMPACT_AFTER = 1024;

export function createSlidingWindowMax(windowMs: number): SlidingWindowMax {
  let times: number[] = [];
  let records: number[] = [];
  let bytes: number[] = [];
  let head = 0;
  let sumRecords = 0;
  let sumBytes = 0;
  let maxRecords = 0;
  let maxBytes = 0;

  function expire(now: number): void {
    while (head < times.length && times[head] <= now - windowMs) {
      sumRecords -= records[head];
      sumBytes -= bytes[head];
      head++;
    }
    if (head >= COMPACT_AFTER && head * 2 >= times.length) {
      times = times.slice(head);
      records = records.slice(head);
      bytes = bytes.slice(head);
      head = 0;
    }
  }

  return {
    add(now, addRecords, addBytes) {
      expire(now);
      times.push(now);
      records.push(addRecords);
      bytes.push(addBytes);
      sumRecords += addRecords;
      sumBytes += addBytes;
      if (sumRecords > maxRecords) maxRecords = sumRecords;
      if (sumBytes > maxBytes) maxBytes = sumBytes;
    },
    get maxRecords() {
      return maxRecords;
    },
    get maxBytes() {
      return maxBytes;
    },
  };
}
