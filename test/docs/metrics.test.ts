import { existsSync, readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startLocalKinesis, type LocalKinesis } from '../../src/testing/index.js';
import type { MetricsSnapshot } from '../../src/metrics/metrics.js';
import * as metricsSummary from '../../docs/recipes/code/metrics-summary.js';
import { matchesDocumentedOutput, printed, shape } from './output.js';
import { withTimeout } from '../browser/browser.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const ROOT = new URL('../../', import.meta.url).pathname;
const read = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8');
const PAGE = read('docs/concepts/metrics.md');

const sum = (snapshots: MetricsSnapshot[], pick: (s: MetricsSnapshot) => number) => snapshots.reduce((n, s) => n + pick(s), 0);

/** The metrics of a snapshot, as `MetricValues` declares them, in order. */
function declaredMetrics(): string[] {
  const source = read('src/metrics/metrics.ts');
  const body = source.slice(source.indexOf('export interface MetricValues {'));
  return [...body.slice(0, body.indexOf('\n}')).matchAll(/^ {2}(\w+)\??: /gm)].map((m) => m[1]);
}

const none = { count: 0, sum: 0, min: 0, max: 0, p50: 0, p99: 0 };
/** A quiet interval, with `stream` changed. */
const quiet = (stream: Partial<MetricsSnapshot['stream']>): MetricsSnapshot => ({
  at: 0,
  intervalMs: 60_000,
  streamName: 'events',
  shards: {},
  stream: {
    UserRecordsReceived: 100,
    UserRecordsPending: 0,
    UserRecordsPut: 100,
    UserRecordsDataPut: 2000,
    KinesisRecordsPut: 100,
    KinesisRecordsDataPut: 2500,
    ErrorsByCode: {},
    AllErrors: 0,
    RetriesPerRecord: none,
    UserRecordExpired: 0,
    BufferingTime: { count: 100, sum: 500, min: 5, max: 5, p50: 5, p99: 5 },
    RequestTime: none,
    UserRecordsPerKinesisRecord: none,
    KinesisRecordsPerPutRecordsRequest: none,
    UserRecordsPerPutRecordsRequest: none,
    ...stream,
  },
});

/** The page's table of metrics: the names in its first column, in order. */
function tabledMetrics(): string[] {
  const section = PAGE.slice(PAGE.indexOf('\n## Every metric\n'));
  const table = section.slice(0, section.indexOf('\n## ', 1));
  return [...table.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
}

let kinesis: LocalKinesis;

const example = suite('the metrics page example: a line per snapshot against the local Kinesis, shard 0 shared with another writer');
example.before(async () => {
  kinesis = await startLocalKinesis({ limits: true });
});
example.after(async () => {
  await kinesis?.stop();
});

example(
  'every value sent; the snapshots add up to the outcomes; the throttles of the shared shard raise the throttling alarm',
  withTimeout(60_000, async () => {
    await kinesis.createStream('events', 2);
    kinesis.setShardCapacity('shardId-000000000000', 0.25); // another writer takes three quarters of shard 0
    const run = await printed(() => metricsSummary.main({ client: kinesis.client(), streamName: 'events' }));
    const { sent, failed, snapshots } = run.result;
    assert.is(sent, 2000);
    assert.is(failed, 0);
    assert.ok(snapshots.length >= 2, `${snapshots.length} snapshots`);
    assert.is(sum(snapshots, (s) => s.stream.UserRecordsReceived), 2000);
    assert.is(sum(snapshots, (s) => s.stream.UserRecordsPut), sent);
    assert.is(sum(snapshots, (s) => s.stream.KinesisRecordsPut), 2000, 'no aggregation: one Kinesis record per value');
    const throttled = sum(snapshots, (s) => s.stream.ErrorsByCode.ProvisionedThroughputExceededException ?? 0);
    assert.ok(throttled > 0, 'the service refused entries of the shared shard');
    const shard0 = sum(snapshots, (s) => s.shards['shardId-000000000000']?.ErrorsByCode.ProvisionedThroughputExceededException ?? 0);
    assert.is(shard0, throttled, 'all of them on shard 0');
    assert.is(snapshots.at(-1)!.stream.UserRecordsPending, 0, 'nothing pending in the last snapshot, at close()');
    assert.is(run.lines.length, snapshots.length + 1, 'a line per snapshot, then the total');
    assert.ok(run.lines.some((l) => /ALARM throttling: [1-9]\d* refused for \d+ stored/.test(l)), run.lines.join('\n'));
    assert.ok(run.lines.every((l) => !/ALARM.*(expiry|latency|pressure)/.test(l)), 'no other alarm on a healthy run');
    // Which intervals raise the alarm, and which codes are listed, vary from run to run.
    matchesDocumentedOutput('metrics-summary', run.lines, 'shapes', (l) => shape(l).replace(/ \([^)]*\)/, '').replace(/ {2}ALARM .*$/, ''));
  }),
);

example('the alarms: each threshold of the page, on made-up snapshots', () => {
  const limits = { maxBufferedRecords: 1000, recordTtlMs: 30_000 };
  const snapshot = quiet;
  const raised = (s: MetricsSnapshot, level: 'ok' | 'high' = 'ok') => metricsSummary.alarms(s, level, limits).map((a) => a.slice(0, a.indexOf(':')));
  assert.equal(raised(snapshot({ KinesisRecordsPut: 100 })), []);
  assert.equal(raised(snapshot({ KinesisRecordsPut: 100, ErrorsByCode: { ProvisionedThroughputExceededException: 5 } })), []);
  assert.equal(raised(snapshot({ KinesisRecordsPut: 100, ErrorsByCode: { ProvisionedThroughputExceededException: 6 } })), ['throttling']);
  assert.equal(raised(snapshot({ KinesisRecordsPut: 0, ErrorsByCode: { ProvisionedThroughputExceededException: 1 } })), ['throttling']);
  assert.equal(raised(snapshot({ KinesisRecordsPut: 100, ErrorsByCode: { InternalFailure: 50 } })), [], 'other codes are not throttles');
  assert.equal(raised(snapshot({ UserRecordExpired: 1 })), ['expiry']);
  assert.equal(raised(snapshot({ UserRecordsPending: 801 })), ['pressure']);
  assert.equal(raised(snapshot({}), 'high'), ['pressure']);
  assert.equal(raised(snapshot({ BufferingTime: { count: 1, sum: 10_001, min: 10_001, max: 10_001, p50: 10_001, p99: 10_001 } })), ['latency']);
});

example.run();

const page = suite('docs/concepts/metrics.md: every metric in its table, the example and its output included, linked from the sidebar and the README');

page('the table lists every metric of MetricValues, once, in its order', () => {
  const declared = declaredMetrics();
  assert.equal([...declared].sort(), Object.keys(quiet({}).stream).sort(), 'MetricValues read from the source');
  assert.equal(tabledMetrics(), declared);
});

page('the page includes the example and the output its test compares', () => {
  assert.match(PAGE, /^<<< @\/recipes\/code\/metrics-summary\.ts$/m);
  assert.match(PAGE, /^<<< @\/recipes\/code\/metrics-summary\.output\.txt\{txt\}$/m);
  assert.ok(existsSync(`${ROOT}docs/recipes/code/metrics-summary.output.txt`));
  assert.not.match(PAGE, /^```(ts|js|typescript)$/m, 'code lives in the included file, where it is compiled and run');
});

page('the sidebar and the README options table link to it', () => {
  assert.match(read('docs/.vitepress/config.ts'), /link: '\/concepts\/metrics' \}/);
  assert.match(read('README.md'), /^\| `metrics` \| `\{ intervalMs\?: number \} \\\| false` \| `\{ intervalMs: 60000 \}` \|.*\(https:\/\/rxjs-kinesis\.github\.io\/rxjs-kinesis\/concepts\/metrics\)/m);
});

page.run();
