import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startLocalKinesis, type Faults, type LocalKinesis } from '../../src/testing/index.js';
import { binomialBounds, pool, withTimeout } from './helpers.js';

const SAMPLES = 500;
const RATE = 0.2;
const STREAM = 'faults';
/** A hung request is given up after this long, in milliseconds. */
const HANG_ABORT_MS = 2_000; // long enough that a slow answer on a loaded machine is not taken for a hang
const NO_FAULTS: Faults = { internalFailureRate: 0, throttleRequestRate: 0, http500Rate: 0, http503Rate: 0, resetRate: 0, hangRate: 0, latencyMs: 0, latencyJitterMs: 0 };

type Outcome = 'ok' | 'throttle' | 'http500' | 'http503' | 'reset' | 'hang' | `other: ${string}`;

function classify(error: any): Outcome {
  const status = error?.$metadata?.httpStatusCode;
  if (error?.name === 'ProvisionedThroughputExceededException' && status === 400) return 'throttle';
  if (error?.name === 'InternalFailure' && status === 500) return 'http500';
  if (error?.name === 'ServiceUnavailable' && status === 503) return 'http503';
  if (error?.name === 'AbortError') return 'hang';
  if (error?.code === 'ECONNRESET' || /socket hang up/.test(String(error?.message))) return 'reset';
  return `other: ${error?.name} ${status} ${error?.message}`;
}

async function putOne(client: KinesisClient, n: number, timeoutMs = 5000): Promise<Outcome> {
  try {
    const out = await client.send(new PutRecordsCommand({ StreamName: STREAM, Records: [{ PartitionKey: `k${n}`, Data: Buffer.from(`d${n}`) }] }), {
      abortSignal: AbortSignal.timeout(timeoutMs),
    });
    return out.FailedRecordCount === 0 ? 'ok' : `other: ${out.Records?.[0].ErrorCode}`;
  } catch (error) {
    return classify(error);
  }
}

const count = (outcomes: Outcome[], kind: Outcome) => outcomes.filter((o) => o === kind).length;

const test = suite('injected faults (SDK retries off)');
let kinesis: LocalKinesis;
let client: KinesisClient;

test.before(
  withTimeout(10_000, async () => {
    kinesis = await startLocalKinesis({ limits: false });
    await kinesis.createStream(STREAM, 1);
    client = kinesis.client({ maxAttempts: 1 });
  }),
);
test.after(() => kinesis?.stop());

const REQUEST_FAULTS: Array<[Outcome, keyof Faults, keyof ReturnType<LocalKinesis['stats']>['faults']]> = [
  ['throttle', 'throttleRequestRate', 'throttledRequests'],
  ['http500', 'http500Rate', 'http500'],
  ['http503', 'http503Rate', 'http503'],
  ['reset', 'resetRate', 'resets'],
  ['hang', 'hangRate', 'hangs'],
];

for (const [kind, rate, statName] of REQUEST_FAULTS) {
  test(
    `${rate} ${RATE}: ${kind} appears at its rate over ${SAMPLES} requests, every other request succeeds`,
    withTimeout(20_000, async () => {
      kinesis.setFaults({ ...NO_FAULTS, [rate]: RATE });
      kinesis.resetStats();
      const hang = kind === 'hang';
      const outcomes = await pool(SAMPLES, hang ? 50 : 10, (n) => putOne(client, n, hang ? HANG_ABORT_MS : 5000));
      const seen = count(outcomes, kind);
      const [low, high] = binomialBounds(SAMPLES, RATE);
      assert.ok(seen >= low && seen <= high, `${kind}: ${seen} of ${SAMPLES}, expected ${low.toFixed(0)}..${high.toFixed(0)}`);
      assert.is(count(outcomes, 'ok'), SAMPLES - seen, `unexpected outcomes: ${outcomes.filter((o) => o !== 'ok' && o !== kind).slice(0, 3)}`);
      assert.is(kinesis.stats().faults[statName], seen, 'stats count what the client saw');
      console.log(`  ${kind}: ${seen} of ${SAMPLES}`);
    }),
  );
}

test(
  `internalFailureRate ${RATE}: entries fail with InternalFailure at its rate and are not stored`,
  withTimeout(20_000, async () => {
    kinesis.setFaults({ ...NO_FAULTS, internalFailureRate: RATE });
    kinesis.resetStats();
    const results = [];
    for (let r = 0; r < SAMPLES / 100; r++) {
      const Records = Array.from({ length: 100 }, (_, i) => ({ PartitionKey: `p${i}`, Data: Buffer.from(`e${r}-${i}`) }));
      const out = await client.send(new PutRecordsCommand({ StreamName: STREAM, Records }));
      assert.is(out.FailedRecordCount, out.Records!.filter((e) => e.ErrorCode).length);
      results.push(...out.Records!);
    }
    const failed = results.filter((e) => e.ErrorCode);
    const [low, high] = binomialBounds(SAMPLES, RATE);
    assert.ok(failed.length >= low && failed.length <= high, `${failed.length} of ${SAMPLES}`);
    assert.ok(failed.every((e) => e.ErrorCode === 'InternalFailure' && e.ErrorMessage === 'Internal service failure.'));
    const stats = kinesis.stats();
    assert.is(stats.faults.internalFailures, failed.length);
    assert.is(stats.shards[0].acceptedRecords, SAMPLES - failed.length);
    console.log(`  internalFailure: ${failed.length} of ${SAMPLES} entries`);
  }),
);

test(
  'latencyMs 40 + latencyJitterMs 40: every answer waits at least 40 ms, spread by the jitter',
  withTimeout(20_000, async () => {
    kinesis.setFaults({ ...NO_FAULTS, latencyMs: 40, latencyJitterMs: 40 });
    const times: number[] = [];
    for (let n = 0; n < 30; n++) {
      const start = performance.now();
      assert.is(await putOne(client, n), 'ok');
      times.push(performance.now() - start);
    }
    const min = Math.min(...times);
    const max = Math.max(...times);
    // Timers fire no earlier than asked, to the millisecond.
    assert.ok(min >= 39, `fastest answer took ${min.toFixed(1)} ms`);
    assert.ok(max - min >= 15, `jitter should spread answers, got ${min.toFixed(1)}..${max.toFixed(1)} ms`);
    assert.ok(max < 40 + 40 + 200, `slowest answer took ${max.toFixed(1)} ms`);
  }),
);

test(
  'the same seed replays the same faults; another seed does not',
  withTimeout(20_000, async () => {
    const run = async (seed: number) => {
      const local = await startLocalKinesis({ limits: false, seed, faults: { http500Rate: 0.3, internalFailureRate: 0.1 } });
      try {
        await local.createStream(STREAM, 1);
        const localClient = local.client({ maxAttempts: 1 });
        const outcomes: Outcome[] = [];
        for (let n = 0; n < 40; n++) outcomes.push(await putOne(localClient, n));
        return outcomes.join(',');
      } finally {
        await local.stop();
      }
    };
    const first = await run(7);
    assert.is(await run(7), first);
    assert.is.not(await run(8), first);
  }),
);

test(
  'stop() ends requests left hanging',
  withTimeout(10_000, async () => {
    const local = await startLocalKinesis({ faults: { hangRate: 1 } });
    await local.createStream(STREAM, 1);
    const pending = putOne(local.client({ maxAttempts: 1 }), 0, 60_000);
    const settled = await Promise.race([pending.then(() => 'settled'), new Promise((resolve) => setTimeout(resolve, 200, 'hanging'))]);
    assert.is(settled, 'hanging');
    assert.is(local.stats().faults.hangs, 1);
    await local.stop();
    assert.is(await pending, 'reset');
    await local.stop();
  }),
);

test.run();
