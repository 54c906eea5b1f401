import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = new URL('../../', import.meta.url).pathname;
const INSTALL = 'npm install --save-dev kinesalite';
/** What the package needs besides itself: its dependencies and required peers, from this checkout's node_modules. */
const REQUIRED = ['bottleneck', 'js-md5', 'rxjs', '@aws-sdk/client-kinesis'];

const test = suite('rxjs-kinesis packed and installed in a project without its optional peers: kinesalite, OpenTelemetry, the CloudWatch client (npm test builds dist/ first)');
let project: string;

const node = (...args: string[]) => spawnSync(process.execPath, args, { cwd: project, encoding: 'utf8', timeout: 30_000 });

test.before(() => {
  if (!existsSync(join(ROOT, 'dist/local-cli.mjs'))) assert.unreachable('dist/ is missing: run `npm run build` first');
  project = mkdtempSync(join(tmpdir(), 'rxjs-kinesis-no-kinesalite-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
  const [{ filename }] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', project], { cwd: ROOT, encoding: 'utf8' }));
  // Offline, from the tarball and local folders only: no registry is asked for anything.
  const folders = REQUIRED.map((name) => join(ROOT, 'node_modules', name));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', join(project, filename), ...folders], { cwd: project, stdio: 'pipe' });
});
test.after(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

test('the project really has no kinesalite', () => {
  assert.is(node('-e', "require.resolve('kinesalite')").status, 1);
  assert.ok(existsSync(join(project, 'node_modules/rxjs-kinesis/dist/testing.mjs')));
});

test('rxjs-kinesis/testing imports (ESM and CommonJS); starting says what to install', () => {
  const script = (load: string) => `${load}.then(async (m) => {
    console.log(typeof m.startLocalKinesis);
    await m.startLocalKinesis().then(() => console.log('started'), (e) => console.log(e.message));
  })`;
  for (const [label, run] of [
    ['ESM', node('--input-type=module', '-e', script("import('rxjs-kinesis/testing')"))],
    ['CommonJS', node('-e', script("Promise.resolve(require('rxjs-kinesis/testing'))"))],
  ] as const) {
    assert.is(run.status, 0, `${label}: ${run.stderr}`);
    const [type, message] = run.stdout.trim().split('\n');
    assert.is(type, 'function', label);
    assert.is(message, `The local Kinesis needs kinesalite, an optional peer dependency of rxjs-kinesis that this project has not installed: ${INSTALL}`, label);
  }
});

test('rxjs-kinesis-local --help prints the usage; starting exits 1 and says what to install', () => {
  const bin = join(project, 'node_modules/.bin/rxjs-kinesis-local');
  const help = spawnSync(bin, ['--help'], { cwd: project, encoding: 'utf8', timeout: 30_000 });
  assert.is(help.status, 0, help.stderr);
  assert.match(help.stdout, /^Usage: rxjs-kinesis-local/);
  assert.match(help.stdout, INSTALL);
  const start = spawnSync(bin, ['--port', '0'], { cwd: project, encoding: 'utf8', timeout: 30_000 });
  assert.is(start.status, 1, start.stdout);
  assert.is(start.stderr.trim(), `rxjs-kinesis-local: The local Kinesis needs kinesalite, an optional peer dependency of rxjs-kinesis that this project has not installed: ${INSTALL}`);
});

test('rxjs-kinesis/otel and rxjs-kinesis/cloudwatch load without their optional peers; toEmf works, publishMetrics says what to install', () => {
  for (const peer of ['@opentelemetry/api', '@aws-sdk/client-cloudwatch']) assert.is(node('-e', `require.resolve('${peer}')`).status, 1, `${peer} is not installed`);
  const script = (load: string) => `${load}.then(async ([otel, cloudwatch]) => {
    console.log(typeof otel.instrumentProducer);
    const d = { count: 1, sum: 5, min: 5, max: 5, p50: 5, p99: 5 };
    const v = { UserRecordsReceived: 1, UserRecordsPut: 1, UserRecordsDataPut: 3, KinesisRecordsPut: 1, KinesisRecordsDataPut: 4, ErrorsByCode: {}, AllErrors: 0, UserRecordExpired: 0,
      RetriesPerRecord: d, BufferingTime: d, RequestTime: d, UserRecordsPerKinesisRecord: d, KinesisRecordsPerPutRecordsRequest: d, UserRecordsPerPutRecordsRequest: d };
    const snapshot = { at: 1, intervalMs: 1, streamName: 's', stream: { ...v, UserRecordsPending: 0 }, shards: { 'shardId-000000000000': v } };
    console.log(String(cloudwatch.toEmf(snapshot, { namespace: 'N' }).length));
    const producer = { metrics$: { subscribe: (next) => (next(snapshot), { unsubscribe() {} }) } };
    const client = { send: async () => console.log('sent') };
    await cloudwatch.publishMetrics(producer, { client, namespace: 'N', onError: (e) => console.log(e.message) }).stop();
  })`;
  for (const [label, run] of [
    ['ESM', node('--input-type=module', '-e', script("Promise.all([import('rxjs-kinesis/otel'), import('rxjs-kinesis/cloudwatch')])"))],
    ['CommonJS', node('-e', script("Promise.resolve([require('rxjs-kinesis/otel'), require('rxjs-kinesis/cloudwatch')])"))],
  ] as const) {
    assert.is(run.status, 0, `${label}: ${run.stderr}`);
    assert.equal(run.stdout.trim().split('\n'), [
      'function',
      '2',
      'publishMetrics needs @aws-sdk/client-cloudwatch, an optional peer dependency of rxjs-kinesis that this project has not installed: npm install @aws-sdk/client-cloudwatch',
    ], label);
  }
});

test.run();
