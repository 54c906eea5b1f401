import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runHotCase, runPullCase } from './memory/cases.js';
import type { HotResult } from './memory/hot-source.js';
import type { RssFigures } from './memory/rss.js';

// Each case runs in a child process (test/integration/memory/*.ts) so its memory is the case's
// alone; the local Kinesis runs here, in the parent.

const MiB = 1024 * 1024;
const MAX_BUFFERED_BYTES = 64 * MiB;
/**
 * Objects that carry one held value besides its bytes, measured at 350-390 B: the value's Uint8Array
 * and ArrayBuffer (~184 B), the producer's record (object, property array, boxed timestamp) and its
 * slots in batch arrays.
 */
const PER_VALUE_BYTES = 512;
/** SDK sockets and request state, compiled code, the partition-key hash cache: what else is reachable. */
const RETAINED_SLACK = 8 * MiB;
/**
 * Peak RSS depends on when V8 collects garbage, and so on how busy the machine is: its bounds are
 * figures of `npm run bench:memory`, against the no-producer control. The suite checks what is held
 * and what stays reachable after forced GCs, and prints the RSS it saw.
 */
const growth = (rss: RssFigures) => Math.max(rss.peakBytes, rss.maxRssBytes) - rss.baselineBytes;
const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

function assertHeldWithinBound(r: HotResult): void {
  assert.ok(r.heldBytesPeak <= MAX_BUFFERED_BYTES, `held ${r.heldBytesPeak} bytes`);
  assert.ok(r.heldBytesPeak > 0.99 * MAX_BUFFERED_BYTES, `the buffer filled: held ${r.heldBytesPeak} bytes`);
}

/** Retained memory (after forced GCs) at each probe is the held bytes plus a per-value allowance; nothing stays after. */
function assertRetained(r: HotResult, expected: string[]): void {
  assert.equal(r.retained.map((p) => p.at), expected);
  const base = r.retained[0].retainedBytes;
  for (const p of r.retained.slice(1)) {
    const bound = p.heldBytes + p.heldRecords * PER_VALUE_BYTES + RETAINED_SLACK;
    const kept = p.retainedBytes - base;
    assert.ok(kept <= bound, `at ${p.at}: ${mib(kept)} retained for ${p.heldRecords} values of ${mib(p.heldBytes)}; bound ${mib(bound)}`);
  }
}

function logRss(name: string, r: { rss: RssFigures }): void {
  console.log(`  ${name}: peak RSS ${mib(growth(r.rss))} above the baseline of ${mib(r.rss.baselineBytes)}`);
}

const hot = suite('hot source at 200,000 values/s of 100 B..1 KiB against a stalled endpoint, maxBufferedBytes 64 MiB');

hot("overflow 'fail': the output errors with BufferOverflow, after exactly one outcome per value taken", async () => {
  // Values are accepted only while they can be sent within a third of their TTL: with 30 s, 16 shards at 990
  // records/s take ~158,000 values (the busiest of them ~10% fewer), more than 64 MiB of these values, so the
  // bytes bind. (With 20 s, the busiest shard refused a value at ~50 MiB held.)
  const r = await runHotCase({ overflow: 'fail', shards: 16, values: 0, recordTtlMs: 30_000, requestTimeoutMs: 5000, probeRetained: true, timeoutMs: 90_000 });
  assert.ok(r.outputError, 'the output errored');
  assert.is(r.outputError!.name, 'BufferOverflowError');
  assert.is(r.outputError!.code, 'BufferOverflow');
  assert.ok(r.outputError!.isBufferOverflowError, 'a BufferOverflowError');
  const o = r.outcomes;
  assert.equal({ missing: o.missing, duplicated: o.duplicated, unknown: o.unknown, total: o.total }, { missing: 0, duplicated: 0, unknown: 0, total: r.offered });
  assert.is(o.failed.BufferOverflow, 1, 'the value that did not fit');
  assert.is(o.sent + (o.failed.Expired ?? 0) + o.failed.BufferOverflow, r.offered, JSON.stringify(o));
  assert.is(r.expiredSignalled, o.failed.Expired ?? 0, 'expired signals count the Expired outcomes');
  assertHeldWithinBound(r);
  assertRetained(r, ['baseline', 'full', 'end']);
  logRss('fail', r);
});

hot("overflow 'dropOldest': 1,000,000 values, then the stall lifts: sent + dropped + expired = offered, a Dropped outcome per drop", async () => {
  const r = await runHotCase({ overflow: 'dropOldest', shards: 16, values: 1_000_000, recordTtlMs: 60_000, requestTimeoutMs: 5000, probeRetained: true, timeoutMs: 90_000 });
  assert.is(r.outputError, undefined);
  assert.is(r.offered, 1_000_000);
  const o = r.outcomes;
  assert.equal({ missing: o.missing, duplicated: o.duplicated, unknown: o.unknown, total: o.total }, { missing: 0, duplicated: 0, unknown: 0, total: r.offered });
  const dropped = o.failed.Dropped ?? 0;
  const expired = o.failed.Expired ?? 0;
  assert.equal(Object.keys(o.failed).filter((code) => code !== 'Dropped' && code !== 'Expired'), [], JSON.stringify(o.failed));
  assert.is(o.sent + dropped + expired, r.offered);
  assert.ok(dropped > 0 && o.sent > 0, JSON.stringify(o));
  assert.is(r.droppedSignalled, dropped, 'dropped signals count the Dropped outcomes');
  assert.is(r.expiredSignalled, expired, 'expired signals count the Expired outcomes');
  assertHeldWithinBound(r);
  assertRetained(r, ['baseline', 'full', 'sourceDone', 'end']);
  logRss('dropOldest', r);
});

hot.run();

const pull = suite('pullFrom over the lines of a file into one shard at capacity (limits on)');

pull('20,000 lines, maxBufferedRecords 2,000: every line sent once, never more held than the high watermark, RSS flat', async () => {
  const maxBufferedRecords = 2000;
  const highWatermarkRecords = 0.8 * maxBufferedRecords;
  const r = await runPullCase({ lines: 20_000, maxBufferedRecords, aggregation: false, timeoutMs: 80_000 });
  const o = r.outcomes;
  assert.equal(o, { total: 20_000, sent: 20_000, failed: {}, missing: 0, duplicated: 0, unknown: 0 });
  assert.is(r.lines, 20_000);
  assert.ok(r.heldRecordsPeak <= highWatermarkRecords, `held ${r.heldRecordsPeak} values at once`);
  assert.ok(r.pressureChanges >= 4, `the watermarks bound: ${r.pressureChanges} level changes`);
  for (const p of r.pressure) assert.ok(p.bufferedRecords <= highWatermarkRecords, JSON.stringify(p));
  assert.ok(r.pressure.every((p) => p.level !== 'full'), 'never full');
  // Lines are at most 150 bytes and their keys 10: the high watermark holds at most 1,600 x 160 bytes.
  const highWatermarkBytes = highWatermarkRecords * 160;
  assert.ok(r.heldBytesPeak <= highWatermarkBytes);
  logRss('pullFrom', r);
});

pull.run();
