import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalKinesis, type ShardStats } from '../../../src/testing/index.js';
import type { ControlConfig, ControlResult } from './control.js';
import type { HotConfig, HotResult } from './hot-source.js';
import { writeLines } from './lines.js';
import type { PullConfig, PullResult } from './pull-lines.js';
import { runChild } from './run-child.js';

const MiB = 1024 * 1024;
const STALL_MS = 10_000;
/** 200,000 values/s of 100 B..1 KiB. */
const HOT_SOURCE = { valuesPerTick: 2000, tickMs: 10, minBytes: 100, maxBytes: 1024 };

export interface HotCase {
  overflow: 'fail' | 'dropOldest';
  shards: number;
  /** Values to offer; 0 runs until the output errors. */
  values: number;
  maxBufferedBytes?: number;
  recordTtlMs: number;
  requestTimeoutMs: number;
  aggregation?: boolean;
  /** Force GCs at a few moments to measure retained memory (this changes when garbage goes, so RSS too). */
  probeRetained: boolean;
  timeoutMs: number;
}

/**
 * A hot source at 200,000 values/s of 100 B..1 KiB against an endpoint that answers PutRecords after
 * 10 s. With `values` set, the stall is lifted once they are all offered, so what is held drains.
 */
export async function runHotCase(h: HotCase): Promise<HotResult & { liftedAtMs?: number }> {
  const local = await startLocalKinesis({ fast: true });
  try {
    await local.createStream('hot', h.shards);
    await local.createStream('warmup', 1);
    const maxBufferedBytes = h.maxBufferedBytes ?? 64 * MiB;
    const config: HotConfig = {
      endpoint: local.endpoint,
      region: local.region,
      streamName: 'hot',
      warmupStream: 'warmup',
      overflow: h.overflow,
      ...HOT_SOURCE,
      values: h.values,
      maxBufferedBytes,
      // Far above what 64 MiB of values at least 100 bytes can be, so the bytes bind.
      maxBufferedRecords: Math.ceil(maxBufferedBytes / 100) * 2,
      recordTtlMs: h.recordTtlMs,
      requestTimeoutMs: h.requestTimeoutMs,
      sampleMs: 50,
      aggregation: h.aggregation ?? false,
      probeRetained: h.probeRetained,
    };
    let startedAt = 0;
    let liftedAtMs: number | undefined;
    const result = await runChild<HotResult>({
      script: 'hot-source.ts',
      config,
      timeoutMs: h.timeoutMs,
      exposeGc: h.probeRetained,
      onEvent(event, reply) {
        if (event.event === 'ready') {
          local.setFaults({ latencyMs: STALL_MS });
          startedAt = performance.now();
          reply({ go: true });
        }
        if (event.event === 'sourceDone') {
          local.setFaults({ latencyMs: 0 });
          liftedAtMs = Math.round(performance.now() - startedAt);
        }
      },
    });
    return { ...result, liftedAtMs };
  } finally {
    await local.stop();
  }
}

/** The control: the same source into a plain ring buffer of `maxBufferedBytes` that drops its oldest; no producer. */
export async function runControlCase(values: number, maxBufferedBytes = 64 * MiB): Promise<ControlResult> {
  const local = await startLocalKinesis({ fast: true });
  try {
    await local.createStream('warmup', 1);
    const config: ControlConfig = {
      endpoint: local.endpoint,
      region: local.region,
      streamName: 'warmup',
      warmupStream: 'warmup',
      ...HOT_SOURCE,
      values,
      maxBufferedBytes,
      sampleMs: 50,
    };
    return await runChild<ControlResult>({
      script: 'control.ts',
      config,
      timeoutMs: 120_000,
      onEvent: (event, reply) => event.event === 'ready' && reply({ go: true }),
    });
  } finally {
    await local.stop();
  }
}

export interface PullCase {
  lines: number;
  /** The memory ceiling on values; without it the time bound alone (a third of `recordTtlMs`) paces the reading. */
  maxBufferedRecords?: number;
  recordTtlMs?: number;
  aggregation: boolean;
  timeoutMs: number;
}

/** `pullFrom` over a file of `lines` lines (50..150 bytes) into one shard, limits on, the front in fast mode. */
export async function runPullCase(p: PullCase): Promise<PullResult & { fileBytes: number; service: ShardStats | undefined }> {
  const dir = await mkdtemp(join(tmpdir(), 'rxjs-kinesis-memory-'));
  const local = await startLocalKinesis({ fast: true, limits: true });
  try {
    const file = join(dir, 'lines.log');
    const fileBytes = await writeLines(file, p.lines);
    await local.createStream('lines', 1);
    await local.createStream('warmup', 1);
    const config: PullConfig = {
      endpoint: local.endpoint,
      region: local.region,
      streamName: 'lines',
      warmupStream: 'warmup',
      file,
      lines: p.lines,
      maxBufferedRecords: p.maxBufferedRecords,
      recordTtlMs: p.recordTtlMs,
      // Far above what the records can weigh, so the record count or the wait binds.
      maxBufferedBytes: 64 * MiB,
      highWatermark: 0.8,
      lowWatermark: 0.5,
      aggregation: p.aggregation,
      sampleMs: 50,
    };
    const result = await runChild<PullResult>({
      script: 'pull-lines.ts',
      config,
      timeoutMs: p.timeoutMs,
      onEvent: (event, reply) => event.event === 'ready' && reply({ go: true }),
    });
    const service = local.stats().shards.find((s) => s.streamName === 'lines');
    return { ...result, fileBytes, service };
  } finally {
    await local.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
