import { KinesisClient } from '@aws-sdk/client-kinesis';
import Redis from 'ioredis';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, map, range, reduce } from 'rxjs';
import { createProducer } from 'rxjs-kinesis';

/** What every replica (container, process) runs: a producer whose per-shard budget lives in Redis. */
export async function runReplica(client: KinesisClient, streamName: string, redisUrl: string, replica: number, events: number) {
  const redis = new Redis(redisUrl);
  const producer = createProducer({ client, streamName, limits: { redis } });
  let serviceThrottles = 0;
  producer.signals$.subscribe((s) => {
    if (s.type === 'throttled' && s.source === 'service') serviceThrottles += s.count;
  });
  const tally = await lastValueFrom(
    range(0, events).pipe(
      map((i) => ({ replica, i, sessionId: `session-${i % 200}` })),
      producer.put((e) => ({ partitionKey: e.sessionId, data: JSON.stringify(e) })),
      reduce((t, o) => (o.ok ? { ...t, sent: t.sent + 1 } : { ...t, failed: t.failed + 1 }), { sent: 0, failed: 0 }),
    ),
  );
  await producer.close();
  redis.disconnect();
  return { ...tally, serviceThrottles };
}

/** Several replicas at once, as a deployment scaled out would run them. */
export async function main({
  client = new KinesisClient({}),
  streamName = 'events',
  redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  replicas = 3,
  events = 1000,
} = {}) {
  const started = Date.now();
  const results = await Promise.all(Array.from({ length: replicas }, (_, r) => runReplica(client, streamName, redisUrl, r, events)));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  results.forEach((r, i) => console.log(`replica ${i}: sent ${r.sent}, failed ${r.failed}, throttled by the service ${r.serviceThrottles}`));
  console.log(`${replicas} replicas sent ${replicas * events} events in ${seconds} s`);
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main();
