import { from, lastValueFrom, share, toArray, type Observable } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createProducer } from '../../src/producer/create-producer.js';
import { startLocalKinesis, type LocalKinesis } from '../../src/testing/index.js';
import type { PutOutcome } from '../../src/records/outcome.js';
import { withTimeout } from '../browser/browser.js';
import { readBack } from '../helpers/read-back.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** The README's gotcha: a `put` pipeline is cold, so each subscription sends every value again. */
const twice = suite('README gotcha: two subscriptions to one put pipeline (local Kinesis)');
let local: LocalKinesis;
twice.before(async () => {
  local = await startLocalKinesis({ limits: true });
});
twice.after(async () => {
  await local?.stop();
});

const readings = Array.from({ length: 200 }, (_, i) => ({ deviceId: `device-${i % 20}`, seq: i }));
type Reading = (typeof readings)[number];
const toRecord = (r: Reading) => ({ partitionKey: r.deviceId, data: String(r.seq) });

/** Subscribes twice to `sent$`; returns what each subscriber saw and how often each reading is stored. */
async function subscribeTwice(streamName: string, pipe: (producer: ReturnType<typeof createProducer>) => Observable<PutOutcome<Reading>>) {
  await local.createStream(streamName, 2);
  const client = local.client();
  const producer = createProducer({ client, streamName });
  const sent$ = pipe(producer);
  const [log, count] = await Promise.all([lastValueFrom(sent$.pipe(toArray())), lastValueFrom(sent$.pipe(toArray()))]);
  await producer.close();
  const stored = new Map<number, number>();
  for (const records of (await readBack(client, streamName)).values()) {
    for (const r of records) {
      const seq = Number(Buffer.from(r.Data!).toString());
      stored.set(seq, (stored.get(seq) ?? 0) + 1);
    }
  }
  client.destroy();
  return { log, count, stored };
}

twice('Instead of this: each subscription puts every reading, so each is stored twice', withTimeout(30_000, async () => {
  const { log, count, stored } = await subscribeTwice('twice', (producer) => from(readings).pipe(producer.put(toRecord)));
  assert.is(log.length, 200);
  assert.is(count.length, 200);
  const sequenceOf = (outcomes: PutOutcome<Reading>[]) => new Map(outcomes.map((o) => [o.value.seq, o.ok ? o.sequenceNumber : o.error.code]));
  const [first, second] = [sequenceOf(log), sequenceOf(count)];
  assert.is(first.size, 200);
  assert.ok(readings.every((r) => first.get(r.seq) !== second.get(r.seq)), 'each reading has two outcomes: two records, two sequence numbers');
  assert.is(stored.size, 200);
  assert.ok([...stored.values()].every((n) => n === 2), 'every reading stored twice');
}));

twice('Do this: share() puts each reading once, and both subscribers see its one outcome', withTimeout(30_000, async () => {
  const { log, count, stored } = await subscribeTwice('shared', (producer) => from(readings).pipe(producer.put(toRecord), share()));
  assert.is(log.length, 200);
  assert.equal(new Set(log), new Set(count), 'the same outcome objects');
  assert.ok(log.every((o) => o.ok));
  assert.is(stored.size, 200);
  assert.ok([...stored.values()].every((n) => n === 1), 'every reading stored once');
}));

twice.run();
