import { createHash } from 'node:crypto';
import { ROUTE_CACHE_MAX_KEYS } from './constants.js';
import type { Upstream } from './upstream.js';

export interface OpenShard {
  shardId: string;
  start: bigint;
  end: bigint;
}

/** The open shards of one stream at one moment, with a per-partition-key cache of where keys land. */
export interface ShardMap {
  streamName: string;
  shards: OpenShard[];
  byKey: Map<string, OpenShard>;
}

interface ListedShard {
  ShardId: string;
  HashKeyRange: { StartingHashKey: string; EndingHashKey: string };
  SequenceNumberRange: { EndingSequenceNumber?: string };
}

export interface ShardMaps {
  get(streamName: string): Promise<ShardMap>;
  /** Forgets a stream's map; the next write fetches it again. */
  invalidate(streamName: string): void;
}

export function createShardMaps(upstream: Upstream): ShardMaps {
  const maps = new Map<string, Promise<ShardMap>>();

  async function load(streamName: string): Promise<ShardMap> {
    const { Shards } = await upstream.call<{ Shards: ListedShard[] }>('ListShards', { StreamName: streamName });
    const shards = Shards.filter((s) => s.SequenceNumberRange.EndingSequenceNumber === undefined)
      .map((s) => ({ shardId: s.ShardId, start: BigInt(s.HashKeyRange.StartingHashKey), end: BigInt(s.HashKeyRange.EndingHashKey) }))
      .sort((a, b) => (a.start < b.start ? -1 : 1));
    return { streamName, shards, byKey: new Map() };
  }

  return {
    get(streamName) {
      let map = maps.get(streamName);
      if (!map) {
        map = load(streamName);
        maps.set(streamName, map);
        // A failed lookup (no such stream yet) must not stick.
        map.catch(() => maps.get(streamName) === map && maps.delete(streamName));
      }
      return map;
    },
    invalidate(streamName) {
      maps.delete(streamName);
    },
  };
}

/** The service's hash of a partition key: MD5 of its UTF-8 bytes as a big-endian unsigned 128-bit integer. */
export function hashKeyOf(partitionKey: string): bigint {
  const digest = createHash('md5').update(partitionKey, 'utf8').digest();
  return (digest.readBigUInt64BE(0) << 64n) | digest.readBigUInt64BE(8);
}

export function shardForHash(map: ShardMap, hash: bigint): OpenShard | undefined {
  const { shards } = map;
  let low = 0;
  let high = shards.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const shard = shards[mid];
    if (hash < shard.start) high = mid - 1;
    else if (hash > shard.end) low = mid + 1;
    else return shard;
  }
  return undefined;
}

export function shardForEntry(map: ShardMap, partitionKey: string, explicitHashKey: string | undefined): OpenShard | undefined {
  if (explicitHashKey !== undefined) return shardForHash(map, BigInt(explicitHashKey));
  let shard = map.byKey.get(partitionKey);
  if (!shard) {
    shard = shardForHash(map, hashKeyOf(partitionKey));
    if (!shard) return undefined;
    if (map.byKey.size >= ROUTE_CACHE_MAX_KEYS) map.byKey.clear();
    map.byKey.set(partitionKey, shard);
  }
  return shard;
}
