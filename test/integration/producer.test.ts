import { from } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createProducer } from '../../src/producer/create-producer.js';
import { startLocalKinesis, type LocalKinesis } from '../../src/testing/index.js';
import type { PutOutcome } from '../../src/records/outcome.js';
import { readBack, recordPutRequests } from '../helpers/read-back.js';
import { seededRandom } from '../helpers/random.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const KiB = 1024;
const MiB = 1024 * KiB;

interface Value {
  key: string;
  data: Uint8Array;
}

/** Values with random keys and sizes from 1 B to 100 KiB, log-uniform so small and large both appear. */
function randomValues(count: number, seed: number): Value[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const size = Math.max(1, Math.min(100 * KiB, Math.round(Math.exp(random() * Math.log(100 * KiB)))));
    const data = new Uint8Array(size);
    for (let b = 0; b < size; b += 997) data[b] = Math.floor(random() * 256);
    return { key: `${Math.floor(random() * 1e12).toString(36)}-${i}`, data };
  });
}

const e2e = suite('producer against a real local Kinesis (kinesalite behind the front, limits off)');
let local: LocalKinesis;
e2e.before(async () => {
  local = await startLocalKinesis({ limits: false });
});
e2e.after(async () => {
  await local?.stop();
});

e2e('20,000 values of 1 B to 100 KiB into 4 shards: each read back exactly once where its outcome says', async () => {
  await local.createStream('e2e', 4);
  const client = local.client();
  const requests = recordPutRequests(client);
  const values = randomValues(20_000, 7);
  // A synchronous source of ~180 MB: room for all of it, and no per-shard limiter (the front keeps no limits
  // here). kinesalite can take many seconds per 5 MiB request on a loaded machine: a generous request
  // timeout keeps a slow answer from being retried (which would store a duplicate, as the service can).
  // With no limiter the producer assumes each shard takes the service's 1 MiB/s until it measures more: ~180 MB
  // would then wait ~45 s, past the default TTL, so the TTL is made long enough to hold the whole source.
  const producer = createProducer({ client, streamName: 'e2e', rateLimit: false, maxBufferedBytes: 1024 * MiB, recordTtlMs: 600_000, requestTimeoutMs: 120_000, maxInFlightPerShard: 2 });
  const outcomes: PutOutcome<Value>[] = [];
  await new Promise<void>((resolve, reject) =>
    from(values)
      .pipe(producer.put((v) => ({ partitionKey: v.key, data: v.data })))
      .subscribe({ next: (o) => outcomes.push(o), error: reject, complete: resolve }),
  );
  await producer.close();

  assert.is(outcomes.length, values.length, 'one outcome per value');
  const failed = outcomes.filter((o) => !o.ok);
  assert.is(failed.length, 0, `failed: ${JSON.stringify(failed.slice(0, 3).map((o) => !o.ok && o.error))}`);
  const sent = new Map(outcomes.map((o) => [o.value.key, o]));
  assert.is(sent.size, values.length, 'no value has two outcomes');

  const stored = await readBack(client, 'e2e');
  let read = 0;
  const seen = new Set<string>();
  for (const [shardId, records] of stored) {
    for (const r of records) {
      read++;
      const o = sent.get(r.PartitionKey!);
      assert.ok(o && o.ok, `read a record nobody sent: ${r.PartitionKey}`);
      assert.not.ok(seen.has(r.PartitionKey!), `read twice: ${r.PartitionKey}`);
      seen.add(r.PartitionKey!);
      if (!o.ok) continue;
      assert.is(o.shardId, shardId);
      assert.is(o.sequenceNumber, r.SequenceNumber);
      assert.ok(Buffer.from(r.Data!).equals(Buffer.from(o.value.data)), `data of ${r.PartitionKey}`);
    }
  }
  assert.is(read, values.length, 'every value read back');
  assert.is(stored.size, 4);

  assert.ok(requests.length > 0);
  const largest = requests.reduce((m, r) => ({ entries: Math.max(m.entries, r.entries), bytes: Math.max(m.bytes, r.bytes) }), { entries: 0, bytes: 0 });
  assert.ok(largest.entries <= 500, `largest request has ${largest.entries} entries`);
  assert.ok(largest.bytes <= 5 * MiB, `largest request has ${largest.bytes} bytes`);
  // A slow answer is not retried: every entry went out in exactly one attempt that was answered. An attempt
  // that failed (no answer, or an error answer, as a loaded machine can give) is made again; that it stored
  // nothing is what the read-back above checks.
  const answered = requests.filter((r) => r.error === undefined);
  const failedAttempts = requests.filter((r) => r.error !== undefined);
  assert.is(answered.reduce((n, r) => n + r.entries, 0), values.length, 'no entry sent twice in answered requests');
  if (failedAttempts.length > 0) console.log(`  ${failedAttempts.length} attempts failed and were made again: ${failedAttempts.map((r) => r.error).join(', ')}`);
});

e2e('a stream that does not exist: every value fails with ResourceNotFoundException, then the output errors', async () => {
  const producer = createProducer({ client: local.client(), streamName: 'missing' });
  const outcomes: PutOutcome<number>[] = [];
  const error = await new Promise<unknown>((resolve) =>
    from([1, 2, 3])
      .pipe(producer.put((v) => ({ partitionKey: `k${v}`, data: 'x' })))
      .subscribe({ next: (o) => outcomes.push(o), error: resolve, complete: () => resolve(undefined) }),
  );
  assert.is(outcomes.length, 3);
  assert.ok(outcomes.every((o) => !o.ok && o.error.code === 'ResourceNotFoundException'));
  assert.is((error as { name: string }).name, 'KinesisStreamError');
  await producer.close();
});

e2e.run();
