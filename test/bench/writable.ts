/**
 * `npm run bench:writable`: a file of `--lines` numbered lines (default 1,000,000, ~75 bytes each)
 * streamed with `stream.pipeline` through `toWritable` into a local Kinesis (limits on, aggregation
 * on, `--shards` shards), then read back. Prints the figures as one JSON line: every line stored
 * exactly once, the most values held and read ahead (bounded by `--maxBufferedRecords`), the heap
 * after a full GC before and at most during the run, and the time taken.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startLocalKinesis } from '../../src/testing/index.js';
import { fileThroughWritable, writeLines } from '../helpers/file-through-writable.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const { values: args } = parseArgs({
  options: {
    lines: { type: 'string', default: '1000000' },
    shards: { type: 'string', default: '4' },
    maxBufferedRecords: { type: 'string', default: '10000' },
  },
});
const MiB = 1024 * 1024;
setFlagsFromString('--expose-gc');
/** A full collection, so heap figures count what is still referenced, not garbage. */
const gc = runInNewContext('gc') as () => void;
const mib = (bytes: number) => Math.round((bytes / MiB) * 10) / 10;

const count = Number(args.lines);
const maxBufferedRecords = Number(args.maxBufferedRecords);
const dir = mkdtempSync(join(tmpdir(), 'rxjs-kinesis-bench-writable-'));
const local = await startLocalKinesis({ limits: true });
try {
  const file = join(dir, 'lines.txt');
  await writeLines(file, count);
  const r = await fileThroughWritable({ local, streamName: 'writable', shards: Number(args.shards), file, count, maxBufferedRecords, gc, heapSampleMs: 500 });
  const exact = r.once === count && r.duplicates === 0 && r.missing === 0;
  console.log(
    `${count.toLocaleString('en')} lines (${mib(statSync(file).size)} MiB) through toWritable in ${r.seconds.toFixed(1)} s: ` +
      `${exact ? 'each stored exactly once' : `${r.once} once, ${r.duplicates} duplicated, ${r.missing} missing`}; ` +
      `most held ${r.mostHeld} (maxBufferedRecords ${maxBufferedRecords}), most read ahead ${r.mostRead}; ` +
      `heap after GC ${mib(r.heapBefore!)} MiB before, at most ${mib(r.heapPeak!)} MiB during`,
  );
  console.log(JSON.stringify({ ...r, fileMiB: mib(statSync(file).size), shards: Number(args.shards), maxBufferedRecords }));
  process.exitCode = exact && r.mostHeld <= maxBufferedRecords ? 0 : 1;
} finally {
  await local.stop();
  rmSync(dir, { recursive: true, force: true });
}
