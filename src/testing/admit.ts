import { ACCOUNT_ID } from './constants.js';
import type { Budgets } from './budget.js';
import type { FaultInjector } from './faults.js';
import { shardForEntry, type OpenShard, type ShardMap } from './shard-map.js';
import type { StatsRecorder } from './stats.js';
import type { PutEntry } from './validate.js';

/** One entry of a PutRecords answer: a success or a per-entry error. */
export interface EntryResult {
  ShardId?: string;
  SequenceNumber?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}

export interface Admission {
  /** Per entry; the accepted ones are filled in once stored. */
  results: EntryResult[];
  /** Indexes of accepted entries, in request order. */
  accepted: number[];
  /** Shard each entry was routed to (by index). */
  shards: OpenShard[];
}

export interface AdmitDeps {
  budgets: Budgets;
  faults: FaultInjector;
  stats: StatsRecorder;
}

export const INTERNAL_FAILURE: EntryResult = { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure.' };

export const rateExceededMessage = (shardId: string, streamName: string) =>
  `Rate exceeded for shard ${shardId} in stream ${streamName} under account ${ACCOUNT_ID}.`;

/**
 * Decides every entry in request order, all at the instant `now` (ms): an injected InternalFailure, or a take
 * from its shard's budget, or a throttle. Entries that fail cost no budget, like on the service.
 */
export function admit(deps: AdmitDeps, map: ShardMap, entries: PutEntry[], now: number): Admission {
  const { budgets, faults, stats } = deps;
  const { streamName } = map;
  const results = new Array<EntryResult>(entries.length);
  const shards = new Array<OpenShard>(entries.length);
  const accepted: number[] = [];
  // Per request, per shard: [records, bytes] accepted and entries throttled, flushed to stats once.
  const tally = new Map<OpenShard, { records: number; bytes: number; throttled: number }>();

  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const shard = shardForEntry(map, entry.PartitionKey, entry.ExplicitHashKey);
    // Open shards cover the whole key space; a gap means the map was caught mid-change.
    if (!shard) {
      results[i] = INTERNAL_FAILURE;
      continue;
    }
    shards[i] = shard;
    if (faults.entryFails()) {
      results[i] = INTERNAL_FAILURE;
      stats.internalFailure(streamName, shard.shardId);
      continue;
    }
    let counts = tally.get(shard);
    if (!counts) tally.set(shard, (counts = { records: 0, bytes: 0, throttled: 0 }));
    if (budgets.take(streamName, shard.shardId, entry.bytes, now)) {
      accepted.push(i);
      counts.records++;
      counts.bytes += entry.bytes;
    } else {
      results[i] = { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: rateExceededMessage(shard.shardId, streamName) };
      counts.throttled++;
    }
  }
  for (const [shard, counts] of tally) {
    if (counts.records > 0) stats.accepted(streamName, shard.shardId, counts.records, counts.bytes, now);
    if (counts.throttled > 0) stats.throttled(streamName, shard.shardId, counts.throttled, now);
  }
  return { results, accepted, shards };
}
