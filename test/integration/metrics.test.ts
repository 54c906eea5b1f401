import { from, lastValueFrom, toArray } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createProducer } from '../../src/producer/create-producer.js';
import type { MetricsSnapshot } from '../../src/metrics/metrics.js';
import type { ProducerSignal } from '../../src/producer/signals.js';
import { startLocalKinesis, type LocalKinesis } from '../../src/testing/index.js';
import { withTimeout } from '../browser/browser.js';

let local: LocalKinesis;
const test = suite('metrics$ against the local Kinesis with limits and 5% of entries refused');
test.before(async () => {
  local = await startLocalKinesis({ limits: true, faults: { internalFailureRate: 0.05 } });
});
test.after(async () => {
  await local?.stop();
});

const sum = (snapshots: MetricsSnapshot[], pick: (s: MetricsSnapshot) => number) => snapshots.reduce((n, s) => n + pick(s), 0);

// Aggregates of 20 values: enough Kinesis records for the refused entries to show.
for (const aggregation of [false, { maxCount: 20 }] as const) {
  test(
    `10,000 values, aggregation ${aggregation ? 'on' : 'off'}: the snapshots add up to the outcomes and the signals`,
    withTimeout(90_000, async () => {
      const stream = `metrics-${aggregation ? 'agg' : 'plain'}`;
      await local.createStream(stream, 2);
      const producer = createProducer({ client: local.client(), streamName: stream, aggregation, metrics: { intervalMs: 500 } });
      const snapshots: MetricsSnapshot[] = [];
      const signals: ProducerSignal[] = [];
      const completed = lastValueFrom(producer.metrics$.pipe(toArray())).then((all) => snapshots.push(...all));
      producer.signals$.subscribe((s) => signals.push(s));
      const values = Array.from({ length: 10_000 }, (_, i) => i);
      const outcomes = await lastValueFrom(from(values).pipe(producer.put((i) => ({ partitionKey: `device-${i % 500}`, data: `reading ${i}` })), toArray()));
      await producer.close();
      await completed;

      assert.ok(snapshots.length >= (aggregation ? 1 : 2), `several intervals: ${snapshots.length}`);
      const ok = outcomes.filter((o) => o.ok);
      assert.is(ok.length, values.length, 'every value ok');
      assert.is(sum(snapshots, (s) => s.stream.UserRecordsReceived), values.length, 'every value received');
      assert.is(sum(snapshots, (s) => s.stream.UserRecordsPut), ok.length, 'UserRecordsPut = ok outcomes');
      assert.is(sum(snapshots, (s) => s.stream.UserRecordsDataPut), ok.reduce((n, o) => n + `reading ${o.value}`.length, 0));
      assert.is(snapshots.at(-1)!.stream.UserRecordsPending, 0, 'nothing pending after close');
      const perShard = (name: 'UserRecordsPut' | 'KinesisRecordsPut') => sum(snapshots, (s) => Object.values(s.shards).reduce((n, v) => n + v[name], 0));
      assert.is(perShard('UserRecordsPut'), ok.length, 'the shards add up to the stream');

      // ErrorsByCode: what the batchSent signals reported, code by code.
      const signalled: Record<string, number> = {};
      for (const s of signals) if (s.type === 'batchSent' && s.errors) for (const [code, n] of Object.entries(s.errors)) signalled[code] = (signalled[code] ?? 0) + n;
      const counted: Record<string, number> = {};
      for (const s of snapshots) for (const [code, n] of Object.entries(s.stream.ErrorsByCode)) counted[code] = (counted[code] ?? 0) + n;
      assert.equal(counted, signalled);
      assert.ok((counted.InternalFailure ?? 0) > 0, 'the run met the injected failures');
      assert.is(sum(snapshots, (s) => s.stream.AllErrors), Object.values(signalled).reduce((a, b) => a + b, 0));
      const retried = signals.reduce((n, s) => n + (s.type === 'retryScheduled' ? s.count : 0), 0);
      assert.ok(retried > 0);

      // RetriesPerRecord: one sample per value, attempts beyond the first.
      assert.is(sum(snapshots, (s) => s.stream.RetriesPerRecord.count), values.length);
      assert.is(sum(snapshots, (s) => s.stream.RetriesPerRecord.sum), outcomes.reduce((n, o) => n + o.attempts - 1, 0));
      assert.is(Math.max(...snapshots.map((s) => s.stream.RetriesPerRecord.max)), Math.max(...outcomes.map((o) => o.attempts - 1)));

      // Requests and Kinesis records: as the batchSent signals and the service saw them.
      const sent = signals.filter((s) => s.type === 'batchSent');
      assert.is(sum(snapshots, (s) => s.stream.RequestTime.count), sent.length);
      assert.is(sum(snapshots, (s) => s.stream.UserRecordsPerPutRecordsRequest.sum), sent.reduce((n, s) => n + s.userRecords, 0));
      const accepted = local.stats().shards.filter((s) => s.streamName === stream).reduce((n, s) => n + s.acceptedRecords, 0);
      assert.is(sum(snapshots, (s) => s.stream.KinesisRecordsPut), accepted, 'KinesisRecordsPut = records the service accepted');
      assert.is(perShard('KinesisRecordsPut'), accepted);
      assert.is(sum(snapshots, (s) => s.stream.UserRecordsPerKinesisRecord.sum), ok.length);
      if (aggregation) assert.ok(accepted < ok.length / 10, 'aggregates carry several values each');
      assert.is(sum(snapshots, (s) => s.stream.BufferingTime.count), values.length, 'one buffering time per value, at its first request');
      assert.ok(snapshots.every((s) => s.streamName === stream && s.intervalMs > 0));
      assert.ok(snapshots.slice(1).every((s, i) => s.intervalMs === s.at - snapshots[i].at), 'each interval starts where the one before ended');
    }),
  );
}

test.run();
