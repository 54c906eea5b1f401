import type { ErrorAnswer } from './answer.js';
import { ACCOUNT_ID, HASH_KEY_SPACE } from './constants.js';
import type { OpenShard, ShardMap } from './shard-map.js';
import { describeSummary, waitActive } from './streams.js';
import type { Upstream } from './upstream.js';
import { streamNameOfArn } from './validate.js';

export interface UpdateShardCountResult {
  StreamName: string;
  StreamARN: string;
  CurrentShardCount: number;
  TargetShardCount: number;
}

type LoadMap = (streamName: string) => Promise<ShardMap>;

/**
 * kinesalite has no UpdateShardCount, so the front performs it with SplitShard and MergeShards, waiting for ACTIVE
 * after each, until the open shards are the target count of (as near as possible) equal hash ranges. It answers
 * once the stream is ACTIVE again rather than right away: kinesalite turns ACTIVE between the steps, and a
 * caller polling for ACTIVE would otherwise stop at an intermediate map.
 */
export async function updateShardCount(upstream: Upstream, loadMap: LoadMap, input: Record<string, unknown>): Promise<UpdateShardCountResult | ErrorAnswer> {
  const streamName = typeof input.StreamName === 'string' ? input.StreamName : streamNameOfArn(input.StreamARN);
  const target = input.TargetShardCount;
  if (streamName === undefined) return validation("Value null at 'streamName' failed to satisfy constraint: Member must not be null");
  if (typeof target !== 'number' || !Number.isInteger(target) || target < 1) {
    return validation(`Value '${target}' at 'targetShardCount' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  }
  if (input.ScalingType !== 'UNIFORM_SCALING') {
    return validation(`Value '${input.ScalingType}' at 'scalingType' failed to satisfy constraint: Member must satisfy enum value set: [UNIFORM_SCALING]`);
  }
  const summary = await describeSummary(upstream, streamName);
  if (summary.StreamStatus !== 'ACTIVE') {
    return { status: 400, type: 'ResourceInUseException', message: `Stream ${streamName} under account ${ACCOUNT_ID} not ACTIVE, instead in state ${summary.StreamStatus}` };
  }
  const current = (await loadMap(streamName)).shards.length;
  if (target > current * 2 || target < Math.ceil(current / 2)) {
    const direction = target > current ? 'up over double' : 'down below half';
    return { status: 400, type: 'LimitExceededException', message: `UpdateShardCount cannot scale ${direction} your current open shard count. Current open shard count: ${current} Target shard count: ${target}` };
  }

  for (;;) {
    const { shards } = await loadMap(streamName);
    const split = nextSplit(shards, target);
    const merge = split ? undefined : nextMerge(shards, target);
    if (split) {
      await upstream.call('SplitShard', { StreamName: streamName, ShardToSplit: split.shard.shardId, NewStartingHashKey: split.at.toString() });
    } else if (merge) {
      await upstream.call('MergeShards', { StreamName: streamName, ShardToMerge: merge[0].shardId, AdjacentShardToMerge: merge[1].shardId });
    } else {
      break;
    }
    await waitActive(upstream, streamName);
  }
  return { StreamName: streamName, StreamARN: summary.StreamARN, CurrentShardCount: current, TargetShardCount: target };
}

/** Width of each target range; the same arithmetic CreateStream uses, so a count reached either way looks alike. */
const rangeWidth = (count: number) => HASH_KEY_SPACE / BigInt(count);

/** The first target boundary that falls inside an open shard where SplitShard accepts it (strictly inside). */
function nextSplit(shards: OpenShard[], count: number): { shard: OpenShard; at: bigint } | undefined {
  const width = rangeWidth(count);
  for (const shard of shards) {
    const first = shard.start / width + 1n;
    for (let i = first; i < BigInt(count); i++) {
      const at = width * i;
      if (at >= shard.end) break;
      if (at > shard.start + 1n) return { shard, at };
    }
  }
  return undefined;
}

/** Two adjacent open shards whose starts lie in the same target range. */
function nextMerge(shards: OpenShard[], count: number): [OpenShard, OpenShard] | undefined {
  const width = rangeWidth(count);
  const last = BigInt(count - 1);
  const rangeOf = (key: bigint) => (key / width < last ? key / width : last);
  for (let i = 1; i < shards.length; i++) {
    if (rangeOf(shards[i - 1].start) === rangeOf(shards[i].start)) return [shards[i - 1], shards[i]];
  }
  return undefined;
}

const validation = (message: string): ErrorAnswer => ({ status: 400, type: 'ValidationException', message: `1 validation error detected: ${message}` });
