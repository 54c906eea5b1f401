import { KinesisClient } from '@aws-sdk/client-kinesis';
import { fileURLToPath } from 'node:url';
import { count, interval, lastValueFrom, map, mergeMap, range, take, tap } from 'rxjs';
import { createProducer } from 'rxjs-kinesis';

interface Click {
  sessionId: string;
  browser: string;
  page: string;
}

const BROWSERS = ['Chrome', 'Chrome', 'Chrome', 'Chrome', 'Chrome', 'Chrome', 'Safari', 'Safari', 'Firefox', 'Edge'];
const click = (i: number): Click => ({ sessionId: `session-${i % 400}`, browser: BROWSERS[i % BROWSERS.length], page: `/products/${i % 50}` });

/** Steady traffic, 100 clicks every 50 ms (2000/s), sent with `key` as partition key; tallied per shard. */
async function send(client: KinesisClient, streamName: string, ticks: number, key: (c: Click) => string) {
  const producer = createProducer({ client, streamName });
  const shards = new Map<string, { records: number; throttled: number; lastAt: number }>();
  const shard = (id: string) => shards.get(id) ?? shards.set(id, { records: 0, throttled: 0, lastAt: 0 }).get(id)!;
  producer.signals$.subscribe((s) => {
    if (s.type === 'shardMapRefreshed') s.added.forEach(shard);
    if (s.type === 'throttled') shard(s.shardId).throttled += s.count;
  });
  const started = Date.now();
  const clicks = await lastValueFrom(
    interval(50).pipe(
      take(ticks),
      mergeMap((tick) => range(tick * 100, 100)),
      map(click),
      producer.put((c) => ({ partitionKey: key(c), data: JSON.stringify(c) })),
      tap((o) => {
        if (!o.ok) return;
        const s = shard(o.shardId);
        s.records++;
        s.lastAt = Date.now() - started;
      }),
      count(),
    ),
  );
  await producer.close();
  return { clicks, shards };
}

function report(label: string, { clicks, shards }: Awaited<ReturnType<typeof send>>) {
  console.log(label);
  for (const [id, s] of [...shards].sort()) {
    const share = `${Math.round((100 * s.records) / clicks)}%`.padStart(4);
    const busy = `${(s.lastAt / 1000).toFixed(1)} s`;
    console.log(`  ${id} ${share} of records, last one sent at ${busy}, throttled ${s.throttled}`);
  }
}

export async function main({ client = new KinesisClient({}), streamName = 'clicks', ticks = 20 } = {}) {
  const byBrowser = await send(client, streamName, ticks, (c) => c.browser);
  report('keyed by browser name:', byBrowser);
  const bySession = await send(client, streamName, ticks, (c) => c.sessionId);
  report('keyed by session id:', bySession);
  return { byBrowser, bySession };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main();
