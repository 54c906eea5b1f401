import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { from, lastValueFrom, toArray } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createProducer } from '../../src/producer/create-producer.js';
import { startLocalKinesis, type LocalKinesis } from '../../src/testing/index.js';
import { withTimeout } from '../browser/browser.js';
import { readBack } from '../helpers/read-back.js';
import { runJob, type Job, type Progress } from './checkpoint/file-job.js';

const CHILD = fileURLToPath(new URL('./checkpoint/job-process.ts', import.meta.url));
const LINES = 30_000;

let local: LocalKinesis;
let dir: string;
const test = suite('checkpoints against the local Kinesis with limits and faults');
test.before(async () => {
  // 5% of entries fail with InternalFailure and 2% of requests are reset: retries decide values out of order.
  local = await startLocalKinesis({ limits: true, faults: { internalFailureRate: 0.05, resetRate: 0.02 } });
  dir = mkdtempSync(join(tmpdir(), 'rxjs-kinesis-checkpoints-'));
});
test.after(async () => {
  await local?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test(
  'every outcome of a put carries its value\u2019s place in the input, once each, the refused ones too',
  withTimeout(60_000, async () => {
    await local.createStream('indexed', 2);
    const producer = createProducer({ client: local.client(), streamName: 'indexed' });
    const values = Array.from({ length: 3_000 }, (_, i) => i);
    const outcomes = await lastValueFrom(
      from(values).pipe(producer.put((i) => ({ partitionKey: i % 500 === 7 ? '' : `k${i}`, data: String(i) })), toArray()),
    );
    await producer.close();
    assert.is(outcomes.length, values.length);
    assert.equal(outcomes.map((o) => o.index).sort((a, b) => a! - b!), values, 'indices 0..n-1, each once');
    assert.ok(outcomes.every((o) => o.index === o.value), 'the index is the value\u2019s place');
    assert.is(outcomes.filter((o) => !o.ok && o.error.code === 'InvalidRecord').length, 6);
    const inOrder = outcomes.every((o, i) => o.index === i);
    assert.not.ok(inOrder, 'outcomes came out of input order (else the test proves nothing)');
  }),
);

function runChild(job: Job): Promise<{ signal: NodeJS.Signals | null; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, JOB: JSON.stringify(job) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.resume();
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

test(
  'a file job killed mid-run and resumed from its checkpoint stores every line at least once; duplicates only from what was read past the checkpoint',
  withTimeout(240_000, async () => {
    await local.createStream('resume', 2);
    const file = join(dir, 'lines.txt');
    const lines = Array.from({ length: LINES }, (_, i) => `line ${String(i).padStart(6, '0')} ${'x'.repeat(i % 80)}`);
    writeFileSync(file, lines.join('\n') + '\n');
    const size = statSync(file).size;
    const progressFile = join(dir, 'progress.json');
    const job: Job = { endpoint: local.endpoint, streamName: 'resume', file, from: 0, progressFile };

    const crashed = await runChild({ ...job, crashAt: Math.floor(size * 0.4) });
    assert.is(crashed.signal, 'SIGKILL', `the writer was to kill itself mid-run: exit ${crashed.code} ${crashed.stderr.slice(-2000)}`);
    const progress = JSON.parse(readFileSync(progressFile, 'utf8')) as Progress;
    assert.ok(progress.offset >= size * 0.4 && progress.offset < size, `checkpoint ${progress.offset} of ${size}`);

    const resumed = await runJob({ ...job, from: progress.offset });
    assert.is(resumed.failed, 0, 'every resumed line ok');
    const final = JSON.parse(readFileSync(progressFile, 'utf8')) as Progress;
    assert.is(final.offset, size, 'the last checkpoint is the end of the file');

    const stored = new Map<number, number>();
    for (const records of (await readBack(local.client(), 'resume')).values()) {
      for (const r of records) {
        const n = Number(/^line (\d{6})/.exec(Buffer.from(r.Data!).toString('utf8'))![1]);
        stored.set(n, (stored.get(n) ?? 0) + 1);
      }
    }
    const missing = lines.filter((_, i) => !stored.has(i)).length;
    const duplicates = [...stored.values()].reduce((n, c) => n + c - 1, 0);
    // Lines read past the checkpoint when the writer died: the only ones that may be stored twice.
    let end = 0;
    let inFlight = 0;
    for (const l of lines) {
      end += Buffer.byteLength(l) + 1;
      if (end > progress.offset && end <= progress.pulledTo) inFlight++;
    }
    console.log(`  crash at ${progress.offset} of ${size} bytes: ${inFlight} lines read past the checkpoint, ${duplicates} stored twice, ${missing} missing, ${resumed.ok} resumed`);
    assert.is(missing, 0, 'every line stored at least once');
    assert.ok(duplicates <= inFlight, `${duplicates} duplicates, at most the ${inFlight} lines read past the checkpoint`);
    assert.ok(inFlight > 0, 'lines were in the producer when it died');
  }),
);

test.run();
