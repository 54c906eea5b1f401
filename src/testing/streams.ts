import { setTimeout as delay } from 'node:timers/promises';
import { ACTIVE_POLL_MS, ACTIVE_TIMEOUT_MS } from './constants.js';
import type { Upstream } from './upstream.js';

interface StreamSummary {
  StreamDescriptionSummary: { StreamStatus: string; StreamARN: string; OpenShardCount: number };
}

export async function describeSummary(upstream: Upstream, streamName: string) {
  const { StreamDescriptionSummary } = await upstream.call<StreamSummary>('DescribeStreamSummary', { StreamName: streamName });
  return StreamDescriptionSummary;
}

/** Polls until the stream is ACTIVE: kinesalite finishes creates and reshards on a timer after answering. */
export async function waitActive(upstream: Upstream, streamName: string, timeoutMs = ACTIVE_TIMEOUT_MS): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while ((await describeSummary(upstream, streamName)).StreamStatus !== 'ACTIVE') {
    if (performance.now() > deadline) throw new Error(`stream ${streamName} not ACTIVE after ${timeoutMs} ms`);
    await delay(ACTIVE_POLL_MS);
  }
}

export async function createStream(upstream: Upstream, streamName: string, shardCount: number): Promise<void> {
  await upstream.call('CreateStream', { StreamName: streamName, ShardCount: shardCount });
  await waitActive(upstream, streamName);
}
