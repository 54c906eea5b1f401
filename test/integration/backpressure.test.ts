import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { interval, mergeMap, range, take, tap } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createProducer } from '../../src/producer/create-producer.js';
import type { OverflowPolicy } from '../../src/producer/options.js';
import { pullFrom } from '../../src/pull-from.js';
import { startLocalKinesis, type LocalKinesis } from '../../src/testing/index.js';
import type { PutOutcome } from '../../src/records/outcome.js';
import { withTimeout } from '../testing/helpers.js';
import { storedCopies } from './fault-run.js';

const test = suite('backpressure that knows time: no value expires waiting inside the producer (local Kinesis, limits on)');
let local: LocalKinesis;
let dir: string;
test.before(async () => {
  local = await startLocalKinesis();
  dir = mkdtempSync(join(tmpdir(), 'rxjs-kinesis-lines-'));
});
test.after(async () => {
  await local?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function writeLines(name: string, count: number): string {
  const file = join(dir, name);
  const lines = Array.from({ length: count }, (_, i) => `line-${String(i).padStart(7, '0')} ${'x'.repeat(80)}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** The README's pullFrom example, unchanged apart from the file, with the most lines held at once measured. */
async function pullFile(file: string, streamName: string) {
  const producer = createProducer({ client: local.client(), streamName });
  let pulled = 0;
  let decided = 0;
  let mostHeld = 0;
  const outcomes: PutOutcome<string>[] = [];
  const lines = createInterface({ input: createReadStream(file) });
  await new Promise<void>((resolve, reject) =>
    pullFrom(lines, producer)
      .pipe(
        tap(() => (mostHeld = Math.max(mostHeld, ++pulled - decided))),
        producer.put((line) => ({ partitionKey: line.slice(0, 32), data: line })),
      )
      .subscribe({ next: (o) => (decided++, outcomes.push(o)), error: reject, complete: () => producer.close().then(resolve, reject) }),
  );
  return { outcomes, mostHeld };
}

async function assertEveryLineOnce(streamName: string, count: number, outcomes: PutOutcome<string>[]) {
  assert.is(outcomes.length, count, 'one outcome per line');
  const expired = outcomes.filter((o) => !o.ok && o.error.code === 'Expired').length;
  assert.is(expired, 0, `${expired} lines expired`);
  assert.is(outcomes.filter((o) => o.ok).length, count, 'every line ok');
  const copies = await storedCopies(local, streamName);
  assert.is(copies.size, count, 'every line read back');
  assert.ok([...copies.values()].every((n) => n === 1), 'each exactly once');
}

// More lines than 2 shards take in a TTL (2 x 990 records/s x 30 s): pulled all at once, the last would expire.
const LINES = 70_000;

test(
  `the README's pullFrom over a ${LINES.toLocaleString('en')}-line file into 2 shards: every line ok once, none expired`,
  withTimeout(180_000, async () => {
    await local.createStream('pull', 2);
    const { outcomes, mostHeld } = await pullFile(writeLines('pull.log', LINES), 'pull');
    await assertEveryLineOnce('pull', LINES, outcomes);
    // A third of the TTL at 990 records/s per shard, high at 80% of it: about 2 x 7,920, plus what is in flight.
    assert.ok(mostHeld < 2 * 990 * 10, `held at most ${mostHeld} lines`);
    console.log(`  pullFrom, ${LINES} lines, 2 shards: most lines held at once ${mostHeld}`);
  }),
);

test(
  'the same with a shard cut to half its budget mid-run by another writer: the adaptive rate falls, still none expired',
  withTimeout(240_000, async () => {
    const count = 40_000;
    await local.createStream('pull-cut', 2);
    const cut = setTimeout(() => local.setShardCapacity('shardId-000000000001', 0.5, 'pull-cut'), 3_000);
    const { outcomes, mostHeld } = await pullFile(writeLines('pull-cut.log', count), 'pull-cut').finally(() => clearTimeout(cut));
    await assertEveryLineOnce('pull-cut', count, outcomes);
    const shard = local.stats().shards.find((s) => s.streamName === 'pull-cut' && s.shardId === 'shardId-000000000001')!;
    assert.ok(shard.throttledRecords > 0, 'the cut shard was throttled by the service, so its rate fell');
    console.log(`  pullFrom, ${count} lines, shard 1 cut to 50% at 3 s: most lines held at once ${mostHeld}; cut shard throttled ${shard.throttledRecords} entries`);
  }),
);

const HOT_SECONDS = 20;

for (const overflow of ['dropIncoming', 'dropOldest', 'fail'] as OverflowPolicy[]) {
  test(
    `a hot source at 3x a shard's capacity for ${HOT_SECONDS} s, overflow '${overflow}': one outcome each, none expired, decided at arrival`,
    withTimeout(120_000, async () => {
      const streamName = `hot-${overflow}`;
      await local.createStream(streamName, 1);
      const producer = createProducer({ client: local.client(), streamName, overflow });
      const perTick = 30; // 3,000 values/s in 10 ms ticks
      const arrivedAt = new Map<number, number>();
      const outcomes: PutOutcome<number>[] = [];
      const decidedIn: number[] = [];
      let error: unknown;
      await new Promise<void>((resolve) =>
        interval(10)
          .pipe(
            take(HOT_SECONDS * 100),
            mergeMap((tick) => range(tick * perTick, perTick)),
            tap((n) => arrivedAt.set(n, performance.now())),
            producer.put((n) => ({ partitionKey: `device-${n % 100}`, data: `${n} ${'x'.repeat(90)}` })),
          )
          .subscribe({
            next: (o) => {
              outcomes.push(o);
              if (!o.ok && (o.error.code === 'Dropped' || o.error.code === 'BufferOverflow')) decidedIn.push(performance.now() - arrivedAt.get(o.value)!);
            },
            error: (e) => ((error = e), resolve()),
            complete: resolve,
          }),
      );
      await producer.close();
      const offered = arrivedAt.size;
      assert.is(outcomes.length, overflow === 'fail' ? offered : HOT_SECONDS * 100 * perTick, 'one outcome per value taken');
      assert.is(new Set(outcomes.map((o) => o.value)).size, outcomes.length);
      assert.is(outcomes.filter((o) => !o.ok && o.error.code === 'Expired').length, 0, 'none expired');
      const refused = outcomes.filter((o) => !o.ok);
      assert.ok(refused.length > 0, 'at 3x some values cannot be sent within their TTL');
      if (overflow === 'fail') assert.is((error as { code?: string })?.code, 'BufferOverflow');
      if (overflow === 'dropIncoming') assert.ok(decidedIn.every((ms) => ms < 50), `decided in at most ${Math.max(...decidedIn)} ms`);
      const sorted = decidedIn.slice().sort((a, b) => a - b);
      const sent = outcomes.filter((o) => o.ok).length;
      const copies = await storedCopies(local, streamName);
      assert.is(copies.size, sent, 'every ok value read back');
      console.log(
        `  hot source, ${overflow}: offered ${offered}, sent ${sent}, refused ${refused.length}; arrival to decision p50 ${sorted[sorted.length >> 1]?.toFixed(2)} ms, max ${sorted[sorted.length - 1]?.toFixed(2)} ms`,
      );
    }),
  );
}

test.run();
