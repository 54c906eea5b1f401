import { KinesisClient } from '@aws-sdk/client-kinesis';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, reduce, tap } from 'rxjs';
import { createProducer, pullFrom } from 'rxjs-kinesis';

export async function main({ client = new KinesisClient({}), streamName = 'access-logs', file = 'access.log', recordTtlMs = 30_000 } = {}) {
  // No buffer sizes to pick: a value may expect to wait at most a third of recordTtlMs for its shard,
  // pressure turns 'high' at 80% of that wait and pulling stops.
  const producer = createProducer({ client, streamName, recordTtlMs });

  let pauses = 0;
  let longestWaitMs = 0;
  producer.pressure$.subscribe((p) => {
    if (p.level !== 'ok') pauses++;
    longestWaitMs = Math.max(longestWaitMs, p.expectedWaitMs);
  });

  let read = 0;
  let mostHeld = 0;
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  const tally = await lastValueFrom(
    pullFrom(lines, producer).pipe(
      tap(() => read++),
      // An access log line starts with the client's address: many distinct keys, so the shards share the load.
      producer.put((line) => ({ partitionKey: line.slice(0, line.indexOf(' ')) || 'empty-line', data: line })),
      reduce(
        (t, o) => {
          mostHeld = Math.max(mostHeld, read - t.sent - t.failed);
          return o.ok ? { ...t, sent: t.sent + 1 } : { ...t, failed: t.failed + 1 };
        },
        { sent: 0, failed: 0 },
      ),
    ),
  );
  await producer.close();

  console.log(`read ${read} lines, sent ${tally.sent}, failed ${tally.failed}`);
  console.log(`at most ${mostHeld} lines in memory; reading paused ${pauses} times`);
  console.log(`longest expected wait: ${Math.round(longestWaitMs)} ms (bound: ${Math.round(recordTtlMs / 3)} ms, a third of recordTtlMs)`);
  return { read, ...tally, mostHeld, pauses, longestWaitMs };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main({ file: process.argv[2] });
