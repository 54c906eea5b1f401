import { KinesisClient } from '@aws-sdk/client-kinesis';
import { createReadStream, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { asyncScheduler, lastValueFrom, tap, throttleTime } from 'rxjs';
import { checkpoints, createProducer, pullFrom } from 'rxjs-kinesis';

export interface Line {
  text: string;
  /** Byte offset just past the line: where a restart reads from once the line is decided. */
  end: number;
}

/** The file's lines from a byte offset, each with the offset just past it. */
export async function* linesFrom(file: string, from: number): AsyncGenerator<Line> {
  let end = from;
  for await (const text of createInterface({ input: createReadStream(file, { start: from }), crlfDelay: Infinity })) {
    end += Buffer.byteLength(text) + 1;
    yield { text, end };
  }
}

export async function main({ client = new KinesisClient({}), streamName = 'access-logs', file = 'access.log', checkpointFile = 'access.log.checkpoint' } = {}) {
  // Resume where the last run's every line was decided; a crash after that point resends at most what was in flight.
  const from = existsSync(checkpointFile) ? Number(readFileSync(checkpointFile, 'utf8')) : 0;
  const producer = createProducer({ client, streamName });

  let sent = 0;
  let failed = 0;
  let saves = 0;
  const last = await lastValueFrom(
    pullFrom(linesFrom(file, from), producer).pipe(
      producer.put((line) => ({ partitionKey: line.text.slice(0, line.text.indexOf(' ')) || 'empty-line', data: line.text })),
      tap((o) => (o.ok ? sent++ : failed++)), // a failed line: write it to a dead-letter file here, before committing past it
      checkpoints((line) => line.end),
      // At most one save a second, and the last one when the file is done.
      throttleTime(1000, asyncScheduler, { leading: true, trailing: true }),
      tap((offset) => {
        writeFileSync(`${checkpointFile}.tmp`, String(offset));
        renameSync(`${checkpointFile}.tmp`, checkpointFile); // a crash leaves the old checkpoint or the new one
        saves++;
      }),
    ),
    { defaultValue: from },
  );
  await producer.close();

  console.log(`resumed at byte ${from}; sent ${sent} lines, failed ${failed}`);
  console.log(`checkpoint saved ${saves} times, now at byte ${last}`);
  return { from, sent, failed, saves, last };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main({ file: process.argv[2], checkpointFile: `${process.argv[2]}.checkpoint` });
