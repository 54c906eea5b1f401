import type { PutOutcome } from '../../../src/index.js';

/** How the values of a run ended, and whether each id got exactly one outcome. */
export interface OutcomeCounts {
  total: number;
  sent: number;
  /** Failed outcomes by error code (`Dropped`, `Expired`, `BufferOverflow`, ...). */
  failed: Record<string, number>;
  /** Ids in [0, offered) with no outcome, and ids with more than one. */
  missing: number;
  duplicated: number;
  /** Outcomes whose value carried an id outside [0, offered). */
  unknown: number;
}

/** Counts outcomes per value id in one byte each, so a million values cost a megabyte, allocated up front. */
export function countOutcomes<T>(capacity: number, idOf: (value: T) => number) {
  // Touched now so its pages are resident before the baseline, not as ids come in.
  const seen = new Uint8Array(capacity).fill(0);
  let total = 0;
  let sent = 0;
  let unknown = 0;
  const failed: Record<string, number> = {};
  return {
    add(o: PutOutcome<T>): void {
      total++;
      const id = idOf(o.value);
      if (id >= 0 && id < capacity) seen[id] = Math.min(255, seen[id] + 1);
      else unknown++;
      if (o.ok) sent++;
      else failed[o.error.code] = (failed[o.error.code] ?? 0) + 1;
    },
    counts(offered: number): OutcomeCounts {
      let missing = 0;
      let duplicated = 0;
      for (let id = 0; id < offered; id++) {
        if (seen[id] === 0) missing++;
        else if (seen[id] > 1) duplicated++;
      }
      for (let id = offered; id < capacity; id++) if (seen[id] !== 0) unknown++;
      return { total, sent, failed, missing, duplicated, unknown };
    },
  };
}
