import { STATS_WINDOW_MS } from './constants.js';
import { createSlidingWindowMax, type SlidingWindowMax } from './sliding-window.js';
import type { FaultStats } from './fault-types.js';
import type { LocalKinesisStats, ShardStats } from './types.js';

interface ShardCounters extends Omit<ShardStats, 'maxWindowRecords' | 'maxWindowBytes' | 'spanMs' | 'firstRequestAt' | 'lastRequestAt'> {
  window: SlidingWindowMax;
  /** Clock readings of the first and last request with entries the budget judged (±Infinity before one). */
  firstAt: number;
  lastAt: number;
}

export interface StatsRecorder {
  request(operation: string, bodyBytes: number): void;
  /** Records accepted on one shard by one request, all at the same instant `now` (ms). */
  accepted(streamName: string, shardId: string, records: number, bytes: number, now: number): void;
  /** Records throttled on one shard by one request at the instant `now` (ms). */
  throttled(streamName: string, shardId: string, records: number, now: number): void;
  internalFailure(streamName: string, shardId: string): void;
  fault(kind: keyof FaultStats): void;
  snapshot(): LocalKinesisStats;
  reset(): void;
}

const noFaults = (): FaultStats => ({
  internalFailures: 0,
  throttledRequests: 0,
  http500: 0,
  http503: 0,
  resets: 0,
  goaways: 0,
  hangs: 0,
  truncated: 0,
  failNext: 0,
  outages: 0,
  outageRequests: 0,
  refusedConnections: 0,
});

function judged(counters: ShardCounters, now: number): void {
  counters.firstAt = Math.min(counters.firstAt, now);
  counters.lastAt = Math.max(counters.lastAt, now);
}

/**
 * `clockOrigin` turns the budget's clock readings (`performance.now()` in the local Kinesis) into ms since
 * the epoch for `firstRequestAt` and `lastRequestAt`.
 */
export function createStats(clockOrigin = performance.timeOrigin): StatsRecorder {
  let shards = new Map<string, ShardCounters>();
  let requests = 0;
  let largestRequestBytes = 0;
  let operations: Record<string, number> = {};
  let faults = noFaults();

  function shard(streamName: string, shardId: string): ShardCounters {
    const key = `${streamName}/${shardId}`;
    let counters = shards.get(key);
    if (!counters) {
      counters = { streamName, shardId, acceptedRecords: 0, acceptedBytes: 0, throttledRecords: 0, internalFailures: 0, window: createSlidingWindowMax(STATS_WINDOW_MS), firstAt: Infinity, lastAt: -Infinity };
      shards.set(key, counters);
    }
    return counters;
  }

  return {
    request(operation, bodyBytes) {
      requests++;
      if (bodyBytes > largestRequestBytes) largestRequestBytes = bodyBytes;
      operations[operation] = (operations[operation] ?? 0) + 1;
    },
    accepted(streamName, shardId, records, bytes, now) {
      const counters = shard(streamName, shardId);
      counters.acceptedRecords += records;
      counters.acceptedBytes += bytes;
      counters.window.add(now, records, bytes);
      judged(counters, now);
    },
    throttled(streamName, shardId, records, now) {
      const counters = shard(streamName, shardId);
      counters.throttledRecords += records;
      judged(counters, now);
    },
    internalFailure(streamName, shardId) {
      shard(streamName, shardId).internalFailures++;
      faults.internalFailures++;
    },
    fault(kind) {
      faults[kind]++;
    },
    snapshot() {
      const list = [...shards.values()]
        .map(({ window, firstAt, lastAt, ...counters }) => ({
          ...counters,
          maxWindowRecords: window.maxRecords,
          maxWindowBytes: window.maxBytes,
          // Before a request was judged, firstAt > lastAt (±Infinity): no span and no request times.
          ...(firstAt <= lastAt ? { spanMs: lastAt - firstAt, firstRequestAt: clockOrigin + firstAt, lastRequestAt: clockOrigin + lastAt } : { spanMs: 0 }),
        }))
        .sort((a, b) => a.streamName.localeCompare(b.streamName) || a.shardId.localeCompare(b.shardId));
      return { shards: list, requests, largestRequestBytes, operations: { ...operations }, faults: { ...faults } };
    },
    reset() {
      shards = new Map();
      requests = 0;
      largestRequestBytes = 0;
      operations = {};
      faults = noFaults();
    },
  };
}
