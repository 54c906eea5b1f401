import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startLocalKinesis, type LocalKinesis, type LocalKinesisStats, type ShardStats } from '../../src/testing/index.js';
import { bySequence, isThrottled, openShards, readShard, withTimeout } from './helpers.js';
import { offerLoad, type LoadResult } from './load.js';

const MiB = 1024 * 1024;
const SHARD = 'shardId-000000000000';
const LOAD_MS = 5000;
/** Stats are reset here, once the burst is spent, to look at steady-state windows alone. */
const RESET_AT_MS = 1500;
/**
 * Steady state: a window holds at most 1 s of refill plus what the bucket gathered before it, which is the
 * refill over the longest time the shard went without a request handled: tens of ms at this pace, 200 ms
 * allowed for a busy event loop. That time is the longest pause between two sends, plus how late the server
 * took a request up after it was sent: 50 ms for a request's way through the SDK and the socket, plus the
 * longest stall of the event loop, which the local Kinesis shares with this test (a loaded machine can stop
 * the process for a while; the senders then catch up at once and the bucket has gathered the stall).
 */
const PAUSE_ALLOWANCE_S = 0.2;
function pauseAllowance(load: LoadResult, stallMs: number): number {
  const steady = load.sendTimes.filter((t) => t - load.firstSendAt >= RESET_AT_MS);
  let longest = 0;
  for (let i = 1; i < steady.length; i++) longest = Math.max(longest, steady[i] - steady[i - 1]);
  return Math.max(PAUSE_ALLOWANCE_S, (longest + 50 + stallMs) / 1000);
}
const BYTES_RECORD = 64 * 1024;
const RECORDS_PER_REQUEST = 150;
const BYTES_PER_REQUEST = 3;

const test = suite('per-shard budget under 3x offered load');
let kinesis: LocalKinesis;
let client: KinesisClient;
let records: LoadResult;
let bytes: LoadResult;
let early: LocalKinesisStats;
let late: LocalKinesisStats;
/** The event loop's longest stall in the steady phase, in ms. */
let stallMs = 0;

const shardOf = (stats: LocalKinesisStats, streamName: string): ShardStats => stats.shards.find((s) => s.streamName === streamName && s.shardId === SHARD)!;
const accepted = (load: LoadResult) => load.requests.flat().filter((o) => o.result.SequenceNumber);
const throttled = (load: LoadResult) => load.requests.flat().filter((o) => isThrottled(o.result));
/**
 * The span the shard's budget saw, from its first request to its last, by the local Kinesis's clock: the
 * senders' clock also counts the time a request took to be taken up, which a loaded machine stretches.
 */
const seconds = (streamName: string) => (shardOf(late, streamName).lastRequestAt! - shardOf(early, streamName).firstRequestAt!) / 1000;

test.before(
  withTimeout(30_000, async () => {
    kinesis = await startLocalKinesis();
    await kinesis.createStream('records', 1);
    await kinesis.createStream('bytes', 1);
    client = kinesis.client({ maxAttempts: 1 });
    // Open connections first, so the first timed request is not held up by a handshake.
    await Promise.all(['records', 'bytes', 'records', 'bytes'].map((name) => openShards(client, name)));
    const loop = monitorEventLoopDelay({ resolution: 10 });
    const midway = setTimeout(() => {
      early = kinesis.stats({ reset: true });
      loop.enable();
    }, RESET_AT_MS);
    // 3000 records/s of small records, and 48 records/s of 64 KiB (3 MiB/s), on two one-shard streams at once.
    [records, bytes] = await Promise.all([
      offerLoad(client, { streamName: 'records', senders: 4, periodMs: 200, entriesPerRequest: RECORDS_PER_REQUEST, durationMs: LOAD_MS, entry: (n) => ({ PartitionKey: `k${n}`, Data: Buffer.from(`r${n}`) }) }),
      offerLoad(client, {
        streamName: 'bytes', senders: 4, periodMs: 250, entriesPerRequest: BYTES_PER_REQUEST, durationMs: LOAD_MS,
        // Partition key (1 byte) + data = exactly 64 KiB; the data starts with the entry's number.
        entry: (n) => {
          const data = Buffer.alloc(BYTES_RECORD - 1, n % 251);
          data.writeUInt32BE(n, 0);
          return { PartitionKey: 'b', Data: data };
        },
      }),
    ]);
    clearTimeout(midway);
    late = kinesis.stats();
    loop.disable();
    stallMs = loop.max / 1e6;
  }),
);
test.after(() => kinesis?.stop());

test('records: no 1-second window holds more than the burst plus one second of budget, and the burst is granted', () => {
  const first = shardOf(early, 'records');
  assert.ok(first.maxWindowRecords <= 2000, `first phase max window ${first.maxWindowRecords}`);
  // Each sender waits for its answer: on a loaded machine the first second may offer less than 1500 records, and
  // then a window holds what was offered (all of it accepted, from the burst), less a request cut by the window.
  const offered = records.sendTimes.filter((t) => t - records.firstSendAt < 1000).length * RECORDS_PER_REQUEST;
  const least = Math.min(1500, offered - RECORDS_PER_REQUEST);
  assert.ok(first.maxWindowRecords >= least, `the 1000-record burst plus refill should show: ${first.maxWindowRecords} in a window, ${offered} offered in the first second`);
  const steady = shardOf(late, 'records');
  const pause = pauseAllowance(records, stallMs);
  assert.ok(steady.maxWindowRecords <= 1000 * (1 + pause), `steady max window ${steady.maxWindowRecords} (allowance ${(pause * 1000).toFixed(0)} ms, loop stall ${stallMs.toFixed(0)} ms)`);
  assert.ok(steady.maxWindowRecords >= 900, `steady max window ${steady.maxWindowRecords}`);
  console.log(`  records: max window ${first.maxWindowRecords} with the burst, ${steady.maxWindowRecords} after it (allowance ${(pause * 1000).toFixed(0)} ms, loop stall ${stallMs.toFixed(0)} ms)`);
});

test('records: total accepted is within 3% of the burst plus 1000/s', () => {
  const expected = 1000 + 1000 * seconds('records');
  const total = shardOf(early, 'records').acceptedRecords + shardOf(late, 'records').acceptedRecords;
  assert.is(total, accepted(records).length, 'stats agree with what the SDK saw');
  assert.ok(Math.abs(total - expected) <= expected * 0.03, `accepted ${total}, expected ${expected.toFixed(0)}`);
  assert.is(shardOf(early, 'records').throttledRecords + shardOf(late, 'records').throttledRecords, throttled(records).length);
  assert.is(accepted(records).length + throttled(records).length, records.requests.flat().length, 'every entry accepted or throttled');
  console.log(`  records: ${total} accepted of ${records.requests.flat().length} offered; the shard saw requests over ${seconds('records').toFixed(2)} s, the senders over ${((records.lastSendAt - records.firstSendAt) / 1000).toFixed(2)} s (expected ${expected.toFixed(0)})`);
});

test('bytes: windows and total follow 1 MiB/s per shard', () => {
  const first = shardOf(early, 'bytes');
  const steady = shardOf(late, 'bytes');
  assert.ok(first.maxWindowBytes <= 2 * MiB, `first phase max window ${first.maxWindowBytes}`);
  const request = BYTES_PER_REQUEST * BYTES_RECORD;
  const offered = bytes.sendTimes.filter((t) => t - bytes.firstSendAt < 1000).length * request;
  assert.ok(first.maxWindowBytes >= Math.min(1.5 * MiB, offered - request), `the 1 MiB burst plus refill should show: ${first.maxWindowBytes} in a window, ${offered} offered in the first second`);
  // Whole 64 KiB records: a window may also hold the one record the bucket had nearly gathered.
  const pause = pauseAllowance(bytes, stallMs);
  assert.ok(steady.maxWindowBytes <= MiB * (1 + pause) + BYTES_RECORD, `steady max window ${steady.maxWindowBytes} (allowance ${(pause * 1000).toFixed(0)} ms, loop stall ${stallMs.toFixed(0)} ms)`);
  const expected = MiB + MiB * seconds('bytes');
  const total = first.acceptedBytes + steady.acceptedBytes;
  assert.is(total, accepted(bytes).length * BYTES_RECORD);
  assert.ok(Math.abs(total - expected) <= expected * 0.03, `accepted ${total} bytes, expected ${expected.toFixed(0)}`);
  console.log(`  bytes: max window ${(first.maxWindowBytes / MiB).toFixed(3)} MiB with the burst, ${(steady.maxWindowBytes / MiB).toFixed(3)} MiB after; ${(total / MiB).toFixed(3)} MiB accepted, expected ${(expected / MiB).toFixed(3)}`);
});

test('throttled entries carry the service error code and message, parsed by the SDK', () => {
  const messages = new Set([...throttled(records), ...throttled(bytes)].map((o) => o.result.ErrorMessage));
  assert.equal([...messages].sort(), [
    `Rate exceeded for shard ${SHARD} in stream bytes under account 123456789012.`,
    `Rate exceeded for shard ${SHARD} in stream records under account 123456789012.`,
  ]);
  assert.ok(throttled(records).length > 0 && throttled(bytes).length > 0);
});

test('within each request, accepted entries get growing sequence numbers in request order', () => {
  for (const request of [...records.requests, ...bytes.requests]) {
    const seqs = request.filter((o) => o.result.SequenceNumber).map((o) => BigInt(o.result.SequenceNumber!));
    for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i - 1] < seqs[i], 'sequence numbers grow within a request');
  }
});

test(
  'read-back equals exactly the accepted entries in shard order; nothing throttled is stored',
  withTimeout(20_000, async () => {
    for (const [streamName, load] of [['records', records], ['bytes', bytes]] as const) {
      const stored = (await readShard(client, streamName, SHARD)).map((d) => Buffer.from(d).toString('base64'));
      const expected = accepted(load)
        .map((o) => ({ seq: o.result.SequenceNumber!, data: Buffer.from(o.entry.Data!).toString('base64') }))
        .sort(bySequence)
        .map((o) => o.data);
      assert.is(stored.length, expected.length, `${streamName}: stored count`);
      assert.ok(stored.every((d, i) => d === expected[i]), `${streamName}: stored data and order`);
      const storedSet = new Set(stored);
      assert.not.ok(throttled(load).some((o) => storedSet.has(Buffer.from(o.entry.Data!).toString('base64'))), `${streamName}: no throttled entry stored`);
    }
  }),
);

test.run();
