/**
 * The resume-a-file recipe's pattern, with a crash: read a file from a byte offset (the recipe's
 * `linesFrom`), put every line, and save the offset up to which every line is decided. A restart reads
 * from the saved offset.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { lastValueFrom, tap } from 'rxjs';
import { linesFrom } from '../../../docs/recipes/code/resume-file.js';
import { checkpoints, createProducer, pullFrom } from '../../../src/index.js';

export interface Job {
  endpoint: string;
  streamName: string;
  file: string;
  /** Byte offset to start from: the saved checkpoint, or 0. */
  from: number;
  /** Where each checkpoint is saved: `{ offset, pulledTo }`. */
  progressFile: string;
  /** Dies (SIGKILL, no cleanup) right after saving the first checkpoint at or past this offset. */
  crashAt?: number;
}

export interface Progress {
  /** Every line ending at or before it is decided. */
  offset: number;
  /** The end of the last line read from the file when the offset was saved. */
  pulledTo: number;
}

function save(file: string, progress: Progress): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(progress));
  renameSync(`${file}.tmp`, file); // a crash leaves the old or the new checkpoint, never half of one
}

/** Runs the job to the end of the file; resolves with the number of failed outcomes. */
export async function runJob(job: Job): Promise<{ ok: number; failed: number }> {
  const client = new KinesisClient({ endpoint: job.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const producer = createProducer({ client, streamName: job.streamName });
  let pulledTo = job.from;
  let ok = 0;
  let failed = 0;
  const offsets$ = pullFrom(linesFrom(job.file, job.from), producer).pipe(
    tap((line) => (pulledTo = line.end)),
    producer.put((line) => ({ partitionKey: line.text.slice(0, 11), data: line.text })),
    tap((o) => (o.ok ? ok++ : failed++)),
    checkpoints((line) => line.end),
    tap((offset) => {
      save(job.progressFile, { offset, pulledTo });
      if (job.crashAt !== undefined && offset >= job.crashAt) process.kill(process.pid, 'SIGKILL');
    }),
  );
  await lastValueFrom(offsets$, { defaultValue: job.from });
  await producer.close();
  client.destroy();
  return { ok, failed };
}
