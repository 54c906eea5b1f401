/**
 * `npm run bench:pull`: the README's `pullFrom` example, unchanged apart from the file, over `--lines`
 * lines (default 1,000,000) into `--shards` shards (default 2) of the local Kinesis with its limits on.
 * Reports whether every line was sent exactly once and read back, none expired, the most lines held at
 * once, and the run's length against what the shards' budget allows. `--cutAt S` halves shard 1's
 * budget S seconds in, as another writer would.
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { tap } from 'rxjs';
import { createProducer, pullFrom, type PutOutcome } from '../../src/index.js';
import { startLocalKinesis } from '../../src/testing/index.js';
import { SHARD_RECORDS_PER_SECOND } from '../../src/kinesis/limits.js';
import { TRANSIT_MARGIN } from '../../src/throttle/shard-limiters.js';
import { storedCopies } from '../integration/fault-run.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const { values: args } = parseArgs({ options: { lines: { type: 'string', default: '1000000' }, shards: { type: 'string', default: '2' }, cutAt: { type: 'string' } } });
const lines = Number(args.lines);
const shards = Number(args.shards);

const dir = mkdtempSync(join(tmpdir(), 'rxjs-kinesis-pull-'));
const file = join(dir, 'huge.log');
writeFileSync(file, `${Array.from({ length: lines }, (_, i) => `line-${String(i).padStart(8, '0')} ${'x'.repeat(80)}`).join('\n')}\n`);
const local = await startLocalKinesis();
try {
  await local.createStream('pull', shards);
  const producer = createProducer({ client: local.client(), streamName: 'pull' });
  let pulled = 0;
  let decided = 0;
  let mostHeld = 0;
  let expired = 0;
  let failed = 0;
  const started = performance.now();
  const cut = args.cutAt === undefined ? undefined : setTimeout(() => local.setShardCapacity('shardId-000000000001', 0.5, 'pull'), Number(args.cutAt) * 1000);
  const outcomes: PutOutcome<string>[] = [];
  await new Promise<void>((resolve, reject) =>
    pullFrom(createInterface({ input: createReadStream(file) }), producer)
      .pipe(
        tap(() => (mostHeld = Math.max(mostHeld, ++pulled - decided))),
        producer.put((line) => ({ partitionKey: line.slice(0, 32), data: line })),
      )
      .subscribe({
        next: (o) => {
          decided++;
          if (!o.ok && o.error.code === 'Expired') expired++;
          else if (!o.ok) failed++;
          if (!o.ok) outcomes.push(o);
        },
        error: reject,
        complete: () => producer.close().then(resolve, reject),
      }),
  );
  clearTimeout(cut);
  const seconds = (performance.now() - started) / 1000;
  const copies = await storedCopies(local, 'pull');
  const once = [...copies.values()].filter((n) => n === 1).length;
  const fastest = lines / (shards * SHARD_RECORDS_PER_SECOND * (1 - TRANSIT_MARGIN));
  console.log(
    JSON.stringify({ lines, shards, cutAt: args.cutAt ?? null, decided, expired, failed, readBack: copies.size, storedOnce: once, mostHeld, seconds: +seconds.toFixed(1), fastestSeconds: +fastest.toFixed(1) }),
  );
  if (expired > 0 || failed > 0 || copies.size !== lines || once !== lines) process.exitCode = 1;
} finally {
  await local.stop();
  rmSync(dir, { recursive: true, force: true });
}
