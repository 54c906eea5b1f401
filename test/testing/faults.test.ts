import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startLocalKinesis, type Faults, type FaultStats } from '../../src/testing/index.js';
import { binomialBounds, clientOn, onBothProtocols, pool, PROTOCOLS, readShard, withTimeout } from './helpers.js';

const SAMPLES = 500;
const RATE = 0.2;
const STREAM = 'faults';
/** A hung request is given up after this long, in milliseconds. */
const HANG_ABORT_MS = 2_000; // long enough that a slow answer on a loaded machine is not taken for a hang
const NO_FAULTS: Faults = { internalFailureRate: 0, throttleRequestRate: 0, http500Rate: 0, http503Rate: 0, resetRate: 0, goawayRate: 0, hangRate: 0, truncateRate: 0, latencyMs: 0, latencyJitterMs: 0 };

type Outcome = 'ok' | 'throttle' | 'http500' | 'http503' | 'reset' | 'goaway' | 'truncate' | 'hang' | `other: ${string}`;

/** What the SDK throws for each fault, on each protocol. */
function classify(error: any): Outcome {
  const status = error?.$metadata?.httpStatusCode;
  const message = String(error?.message);
  if (error?.name === 'ProvisionedThroughputExceededException' && status === 400) return 'throttle';
  if (error?.name === 'InternalFailure' && status === 500) return 'http500';
  if (error?.name === 'ServiceUnavailable' && status === 503) return 'http503';
  if (error?.name === 'AbortError') return 'hang';
  // A 200 whose body broke off: "aborted" (HTTP/1.1) or a reset stream (HTTP/2), before the answer could be read.
  if (status === 200 && (error?.code === 'ECONNRESET' || error?.code === 'ERR_HTTP2_STREAM_ERROR')) return 'truncate';
  if (error?.code === 'ERR_HTTP2_STREAM_ERROR' && /NGHTTP2_INTERNAL_ERROR/.test(message)) return 'reset';
  if (error?.code === 'ECONNRESET' || /socket hang up/.test(message)) return 'reset';
  // The SDK's HTTP/2 handler, when the session closes under an unanswered request.
  if (/http2 request did not get a response/.test(message)) return 'goaway';
  return `other: ${error?.name} ${error?.code} ${status} ${message}`;
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
const local = onBothProtocols(test, STREAM);

/** Each fault's rate, its count in stats, and what the client sees on each protocol (a GOAWAY is a reset on HTTP/1.1). */
const REQUEST_FAULTS: Array<[Exclude<Outcome, 'ok'>, keyof Faults, keyof FaultStats, Outcome]> = [
  ['throttle', 'throttleRequestRate', 'throttledRequests', 'throttle'],
  ['http500', 'http500Rate', 'http500', 'http500'],
  ['http503', 'http503Rate', 'http503', 'http503'],
  ['reset', 'resetRate', 'resets', 'reset'],
  ['goaway', 'goawayRate', 'goaways', 'reset'],
  ['truncate', 'truncateRate', 'truncated', 'truncate'],
  ['hang', 'hangRate', 'hangs', 'hang'],
];

for (const protocol of PROTOCOLS) {
  for (const [kind, rate, statName, onHttp1] of REQUEST_FAULTS) {
    const seen = protocol === 'h2' ? kind : onHttp1;
    test(
      `${protocol}, ${rate} ${RATE}: ${seen} appears at its rate over ${SAMPLES} requests, every other request succeeds`,
      withTimeout(30_000, async () => {
        local.kinesis.setFaults({ ...NO_FAULTS, [rate]: RATE });
        local.kinesis.resetStats();
        const hang = kind === 'hang';
        const outcomes = await pool(SAMPLES, hang ? 50 : 10, (n) => putOne(local.clients[protocol], n, hang ? HANG_ABORT_MS : 5000));
        const met = count(outcomes, seen);
        const [low, high] = binomialBounds(SAMPLES, RATE);
        assert.ok(met >= low && met <= high, `${seen}: ${met} of ${SAMPLES}, expected ${low.toFixed(0)}..${high.toFixed(0)}`);
        assert.is(count(outcomes, 'ok'), SAMPLES - met, `unexpected outcomes: ${outcomes.filter((o) => o !== 'ok' && o !== seen).slice(0, 3)}`);
        const stats = local.kinesis.stats();
        assert.is(stats.faults[statName], met, 'stats count what the client saw');
        // A truncated answer comes after its entries were stored; no other fault stores anything.
        const stored = stats.shards.reduce((n, s) => n + s.acceptedRecords, 0);
        assert.is(stored, kind === 'truncate' ? SAMPLES : SAMPLES - met);
        console.log(`  ${protocol} ${seen}: ${met} of ${SAMPLES}`);
      }),
    );
  }
}

test(
  `internalFailureRate ${RATE}: entries fail with InternalFailure at its rate and are not stored`,
  withTimeout(20_000, async () => {
    local.kinesis.setFaults({ ...NO_FAULTS, internalFailureRate: RATE });
    local.kinesis.resetStats();
    const results = [];
    for (let r = 0; r < SAMPLES / 100; r++) {
      const Records = Array.from({ length: 100 }, (_, i) => ({ PartitionKey: `p${i}`, Data: Buffer.from(`e${r}-${i}`) }));
      const out = await local.clients['http/1.1'].send(new PutRecordsCommand({ StreamName: STREAM, Records }));
      assert.is(out.FailedRecordCount, out.Records!.filter((e) => e.ErrorCode).length);
      results.push(...out.Records!);
    }
    const failed = results.filter((e) => e.ErrorCode);
    const [low, high] = binomialBounds(SAMPLES, RATE);
    assert.ok(failed.length >= low && failed.length <= high, `${failed.length} of ${SAMPLES}`);
    assert.ok(failed.every((e) => e.ErrorCode === 'InternalFailure' && e.ErrorMessage === 'Internal service failure.'));
    const stats = local.kinesis.stats();
    assert.is(stats.faults.internalFailures, failed.length);
    assert.is(stats.shards[0].acceptedRecords, SAMPLES - failed.length);
    console.log(`  internalFailure: ${failed.length} of ${SAMPLES} entries`);
  }),
);

test(
  'latencyMs 40 + latencyJitterMs 40: every answer waits at least 40 ms, spread by the jitter, on both protocols',
  withTimeout(20_000, async () => {
    local.kinesis.setFaults({ ...NO_FAULTS, latencyMs: 40, latencyJitterMs: 40 });
    for (const protocol of PROTOCOLS) {
      const times: number[] = [];
      for (let n = 0; n < 30; n++) {
        const start = performance.now();
        assert.is(await putOne(local.clients[protocol], n), 'ok');
        times.push(performance.now() - start);
      }
      const min = Math.min(...times);
      const max = Math.max(...times);
      // Timers fire no earlier than asked, to the millisecond.
      assert.ok(min >= 39, `${protocol}: fastest answer took ${min.toFixed(1)} ms`);
      assert.ok(max - min >= 15, `${protocol}: jitter should spread answers, got ${min.toFixed(1)}..${max.toFixed(1)} ms`);
      assert.ok(max < 40 + 40 + 200, `${protocol}: slowest answer took ${max.toFixed(1)} ms`);
    }
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

for (const protocol of PROTOCOLS) {
  test(
    `${protocol}: stop() ends requests left hanging`,
    withTimeout(10_000, async () => {
      const local = await startLocalKinesis({ faults: { hangRate: 1 } });
      await local.createStream(STREAM, 1);
      const client = clientOn(local, protocol, { maxAttempts: 1 });
      const pending = putOne(client, 0, 60_000);
      const settled = await Promise.race([pending.then(() => 'settled'), new Promise((resolve) => setTimeout(resolve, 200, 'hanging'))]);
      assert.is(settled, 'hanging');
      assert.is(local.stats().faults.hangs, 1);
      await local.stop();
      // HTTP/2: the session closes under the unanswered request, as after a GOAWAY.
      assert.is(await pending, protocol === 'h2' ? 'goaway' : 'reset');
      await local.stop();
      client.destroy();
    }),
  );
}

test(
  'truncateRate 1: every put fails mid-answer on both protocols, yet every record was stored',
  withTimeout(20_000, async () => {
    await local.kinesis.createStream('truncated', 1);
    local.kinesis.setFaults({ ...NO_FAULTS, truncateRate: 1 });
    const sent: string[] = [];
    for (const protocol of PROTOCOLS) {
      for (let n = 0; n < 10; n++) {
        const data = `${protocol}-${n}`;
        sent.push(data);
        const put = local.clients[protocol].send(new PutRecordsCommand({ StreamName: 'truncated', Records: [{ PartitionKey: data, Data: Buffer.from(data) }] }));
        assert.is(classify(await put.then(() => undefined, (error) => error)), 'truncate');
      }
    }
    local.kinesis.setFaults(NO_FAULTS);
    const [shard] = local.kinesis.stats().shards.filter((s) => s.streamName === 'truncated');
    const stored = await readShard(local.clients['http/1.1'], 'truncated', shard.shardId);
    assert.equal(stored.map((d) => Buffer.from(d).toString()), sent);
  }),
);

test.run();
