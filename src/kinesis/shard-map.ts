import { ListShardsCommand, type KinesisClient, type Shard } from '@aws-sdk/client-kinesis';
import { decimalToHashKey, type HashKey } from './hash.js';

/**
 * Names the stream: by name, or by ARN (which also names the account and region).
 *
 * @example
 * ```ts
 * import { putBatch, type StreamRef } from 'rxjs-kinesis/kinesis';
 * const orders: StreamRef = { streamARN: 'arn:aws:kinesis:us-east-1:111122223333:stream/orders' }; // another account's stream
 * await putBatch(client, orders, batch, { requestTimeoutMs: 10_000 });
 * ```
 */
export interface StreamRef {
  streamName?: string | undefined;
  streamARN?: string | undefined;
}

/**
 * One open shard and the hash keys it owns (inclusive).
 *
 * @example
 * ```ts
 * import type { HashKey, ShardRange } from 'rxjs-kinesis';
 * const owns = (range: ShardRange, key: HashKey) => range.start <= key && key <= range.end; // fixed-width hex orders as numbers
 * ```
 */
export interface ShardRange {
  shardId: string;
  start: HashKey;
  end: HashKey;
}

/**
 * The open shards of a stream, sorted by hash key, with a lookup from hash key to shard.
 *
 * @example
 * ```ts
 * import { loadShardMap, partitionKeyHash, type ShardMap } from 'rxjs-kinesis/kinesis';
 * const map: ShardMap = await loadShardMap(client, { streamName: 'events' });
 * console.log(map.version, map.shards.length, map.shardFor(partitionKeyHash('device-1'))?.shardId);
 * ```
 */
export interface ShardMap {
  readonly shards: readonly ShardRange[];
  /** Increases with every map a producer loads, so cached routes know they are stale. */
  readonly version: number;
  /** The open shard whose range holds the hash key; undefined if the map has a gap there (mid-reshard). */
  shardFor(hashKey: HashKey): ShardRange | undefined;
}

/** Whether a shard from ListShards is open (a closed shard has an ending sequence number). */
export function isOpenShard(shard: Shard): boolean {
  return shard.SequenceNumberRange?.EndingSequenceNumber === undefined;
}

/**
 * Builds a shard map from ListShards' shards, keeping the open ones.
 *
 * @example
 * ```ts
 * const map = createShardMap(shards);
 * map.shardFor(partitionKeyHash('device-1'))?.shardId; // 'shardId-000000000001'
 * ```
 */
export function createShardMap(shards: readonly Shard[], version = 0): ShardMap {
  const ranges: ShardRange[] = shards
    .filter(isOpenShard)
    .map((s) => ({
      shardId: s.ShardId!,
      start: decimalToHashKey(s.HashKeyRange!.StartingHashKey!),
      end: decimalToHashKey(s.HashKeyRange!.EndingHashKey!),
    }))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const starts = ranges.map((r) => r.start);
  return {
    shards: ranges,
    version,
    shardFor(hashKey) {
      // Last shard whose start is <= hashKey, by binary search on the sorted starts.
      let lo = 0;
      let hi = starts.length - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        if (starts[mid] <= hashKey) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      const range = ranges[found];
      return range !== undefined && hashKey <= range.end ? range : undefined;
    },
  };
}

/**
 * Pages through ListShards.
 *
 * @example
 * ```ts
 * const shards = await listAllShards(client, { streamName: 'events' });
 * console.log(shards.map((s) => s.ShardId)); // [ 'shardId-000000000000', 'shardId-000000000001' ]
 * ```
 */
export async function listAllShards(
  client: KinesisClient,
  stream: StreamRef,
  abortSignal?: AbortSignal,
): Promise<Shard[]> {
  const shards: Shard[] = [];
  let nextToken: string | undefined;
  // Bounded: a stream has at most a few thousand shards per 1000-shard page.
  for (let page = 0; page < 10_000; page++) {
    const out = await client.send(
      new ListShardsCommand(
        nextToken === undefined
          ? { StreamName: stream.streamName, StreamARN: stream.streamARN }
          : { NextToken: nextToken },
      ),
      { abortSignal },
    );
    shards.push(...(out.Shards ?? []));
    nextToken = out.NextToken;
    if (nextToken === undefined) return shards;
  }
  throw new Error('ListShards returned more than 10,000 pages');
}

/**
 * Loads the stream's shard map with ListShards (all pages).
 *
 * @example
 * ```ts
 * const map = await loadShardMap(client, { streamARN: 'arn:aws:kinesis:eu-west-1:123456789012:stream/events' });
 * map.shardFor(partitionKeyHash('device-7'))?.shardId; // 'shardId-000000000001'
 * ```
 */
export async function loadShardMap(
  client: KinesisClient,
  stream: StreamRef,
  options: { version?: number; abortSignal?: AbortSignal } = {},
): Promise<ShardMap> {
  return createShardMap(await listAllShards(client, stream, options.abortSignal), options.version);
}
