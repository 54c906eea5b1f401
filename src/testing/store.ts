import type http from 'node:http';
import type { Admission, EntryResult } from './admit.js';
import { TARGET_PREFIX, UPSTREAM_CHUNK_BODY_BYTES } from './constants.js';
import { UpstreamError, type Upstream } from './upstream.js';
import type { PutEntry, PutRequest } from './validate.js';

export interface EntryStore {
  /**
   * Stores the accepted entries in request order and fills their results. Resolves to true when the store
   * placed an entry on another shard than the one it was charged to, i.e. the front's shard map is stale.
   */
  write(request: PutRequest, admission: Admission, headers: http.IncomingHttpHeaders, body: Buffer): Promise<boolean>;
}

/** Bytes a record adds to a JSON body beyond its data and keys (names, quotes, commas). */
const ENTRY_JSON_OVERHEAD_BYTES = 64;
/** Worst case UTF-8 bytes per character once JSON-escaped (`\uXXXX`). */
const KEY_JSON_BYTES_PER_CHAR = 6;

/** kinesalite stores the accepted entries: one PutRecords per chunk, chunks in order, results merged back. */
export function kinesaliteStore(upstream: Upstream): EntryStore {
  return {
    async write(request, admission, headers, body) {
      const { accepted, results, shards } = admission;
      const forwardHeaders = { ...headers, 'x-amz-target': `${TARGET_PREFIX}PutRecords` };
      const batches = chunks(request, accepted);
      // Everything accepted and small enough: the caller's own body goes on as it came, unparsed twice.
      const asIs = batches.length === 1 && accepted.length === request.entries.length && request.named && request.batch;
      let stale = false;
      for (const chunk of batches) {
        const forward = asIs ? body : Buffer.from(JSON.stringify({ StreamName: request.streamName, Records: chunk.map((i) => recordOf(request.entries[i])) }));
        const response = await upstream.send(forwardHeaders, forward);
        if (response.status !== 200) throw new UpstreamError(response);
        const stored = JSON.parse(response.body.toString('utf8')).Records as EntryResult[];
        for (let j = 0; j < chunk.length; j++) {
          const i = chunk[j];
          results[i] = { SequenceNumber: stored[j].SequenceNumber, ShardId: stored[j].ShardId };
          if (stored[j].ShardId !== shards[i].shardId) stale = true;
        }
      }
      return stale;
    },
  };
}

const recordOf = ({ PartitionKey, Data, ExplicitHashKey }: PutEntry) => (ExplicitHashKey === undefined ? { PartitionKey, Data } : { PartitionKey, Data, ExplicitHashKey });

/** Cuts the accepted entries into runs whose JSON body stays under kinesalite's request size limit. */
function chunks(request: PutRequest, accepted: number[]): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  let size = 0;
  for (const i of accepted) {
    const { PartitionKey, Data, ExplicitHashKey } = request.entries[i];
    const bytes = Data.length + PartitionKey.length * KEY_JSON_BYTES_PER_CHAR + (ExplicitHashKey?.length ?? 0) + ENTRY_JSON_OVERHEAD_BYTES;
    if (current.length > 0 && size + bytes > UPSTREAM_CHUNK_BODY_BYTES) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(i);
    size += bytes;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Digits of the shard number and of the per-shard counter in a fast-mode sequence number (56 digits in all, like the service's). */
const SHARD_DIGITS = 10;
const COUNTER_DIGITS = 44;

/**
 * Fast mode: the front answers itself with sequence numbers that grow per shard, and stores nothing, so
 * kinesalite's own throughput does not cap a benchmark.
 */
export function fastStore(): EntryStore {
  const counters = new Map<string, bigint>();
  return {
    async write(request, admission) {
      const { accepted, results, shards } = admission;
      for (const i of accepted) {
        const { shardId } = shards[i];
        const key = `${request.streamName}/${shardId}`;
        const next = (counters.get(key) ?? 0n) + 1n;
        counters.set(key, next);
        const shardNumber = shardId.slice(shardId.lastIndexOf('-') + 1);
        results[i] = { SequenceNumber: `49${shardNumber.padStart(SHARD_DIGITS, '0').slice(-SHARD_DIGITS)}${next.toString().padStart(COUNTER_DIGITS, '0')}`, ShardId: shardId };
      }
      return false;
    },
  };
}
