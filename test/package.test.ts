import { KinesisClient } from '@aws-sdk/client-kinesis';
import { builtinModules, createRequire } from 'node:module';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const root = new URL('..', import.meta.url).pathname;
const builtins = new Set(builtinModules);
/** Node-only by design: the local Kinesis, and the `"node"` build's MD5, UTF-8 encoder and toWritable. */
const nodeOnly = (file: string) => file.includes('/src/testing/') || file.endsWith('-node.ts');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const browser = suite('browser-safe sources');
browser('no Node built-in is imported by the library outside its Node-only files', () => {
  const offenders: string[] = [];
  for (const file of files(join(root, 'src')).filter((f) => f.endsWith('.ts') && !nodeOnly(f))) {
    // Import and export statements only (doc comment examples may show Node code); type-only ones are erased.
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\b(?! type\b)[^;]*?from\s+'([^']+)'/gm)) {
      if (spec.startsWith('node:') || builtins.has(spec)) offenders.push(`${file}: ${spec}`);
    }
  }
  assert.equal(offenders, []);
});
browser.run();

const dist = suite('built package (npm test builds before it runs the suites)');
dist('each entry: the browser build has no node: import, the node build swaps in node:crypto and Buffer; both formats load', async () => {
  if (!existsSync(join(root, 'dist/index.mjs'))) assert.unreachable('dist/ is missing: run `npm run build` first');
  const text = (file: string) => readFileSync(join(root, 'dist', file), 'utf8');
  for (const entry of ['index', 'kpl', 'kinesis']) assert.not.match(text(`${entry}.mjs`), /from 'node:/, `${entry}.mjs`);
  for (const entry of ['index', 'kpl']) assert.match(text(`${entry}.node.mjs`), /node:crypto/, `${entry}.node.mjs`);
  assert.match(text('index.node.mjs'), /from 'node:buffer'/);
  assert.not.match(text('index.node.mjs'), /new TextEncoder/);
  const load = async (file: string) => (file.endsWith('.cjs') ? createRequire(import.meta.url)(join(root, 'dist', file)) : import(join(root, 'dist', file)));
  for (const file of ['index.mjs', 'index.cjs', 'index.node.mjs', 'index.node.cjs']) {
    const mod = await load(file);
    assert.type(mod.createProducer, 'function', file);
    assert.type(mod.putBatches, 'function', file);
    const runtime = Object.keys(mod).filter((name) => name !== 'default');
    assert.ok(runtime.length <= 30, `${file}: ${runtime.length} runtime names at the root`);
  }
  for (const file of ['kpl.mjs', 'kpl.cjs', 'kpl.node.mjs', 'kpl.node.cjs']) {
    const kpl = await load(file);
    const agg = kpl.encodeAggregate([{ partitionKey: 'a', data: new Uint8Array([1]) }, { partitionKey: 'b', data: new Uint8Array([2]) }]);
    assert.is(kpl.decodeAggregate(agg).length, 2, `${file}: checksum verified`);
  }
  for (const file of ['kinesis.mjs', 'kinesis.cjs']) assert.is((await load(file)).PUT_RECORDS_MAX_RECORDS, 500, file);
  assert.type((await load('testing.mjs')).startLocalKinesis, 'function');
});
dist('otel and cloudwatch: entries of their own, so the root bundles never reach OpenTelemetry or the CloudWatch client', async () => {
  const text = (file: string) => readFileSync(join(root, 'dist', file), 'utf8');
  for (const file of ['index.mjs', 'index.cjs', 'index.node.mjs', 'index.node.cjs']) assert.not.match(text(file), /opentelemetry|cloudwatch|PutMetricData/i, file);
  const load = async (file: string) => (file.endsWith('.cjs') ? createRequire(import.meta.url)(join(root, 'dist', file)) : import(join(root, 'dist', file)));
  for (const file of ['otel.mjs', 'otel.cjs']) {
    assert.not.match(text(file), /require\(|\bimport\b[^(]/, `${file}: @opentelemetry/api is used for its types only`);
    assert.type((await load(file)).instrumentProducer, 'function', file);
  }
  for (const file of ['cloudwatch.mjs', 'cloudwatch.cjs']) {
    // The client is imported when publishMetrics first runs, never when the entry loads: toEmf works without it.
    assert.not.match(text(file), /^import .*client-cloudwatch|require\('@aws-sdk\/client-cloudwatch'\)/m, file);
    assert.match(text(file), /await import\('@aws-sdk\/client-cloudwatch'\)/, file);
    const cloudwatch = await load(file);
    for (const name of ['toEmf', 'toMetricData', 'publishMetrics']) assert.type(cloudwatch[name], 'function', `${file}: ${name}`);
  }
});
dist('toWritable: the node build makes a Node Writable; the browser build throws, saying what to use', async () => {
  assert.not.match(readFileSync(join(root, 'dist/index.mjs'), 'utf8'), /node:stream/);
  assert.match(readFileSync(join(root, 'dist/index.node.mjs'), 'utf8'), /from 'node:stream'/);
  const producer = { put: () => (source: unknown) => source, pressure$: { subscribe: () => ({ unsubscribe() {} }) } };
  const record = (line: string) => ({ partitionKey: line, data: line });
  for (const file of ['dist/index.mjs', 'dist/index.cjs']) {
    const browser = file.endsWith('.cjs') ? createRequire(import.meta.url)(join(root, file)) : await import(join(root, file));
    assert.throws(() => browser.toWritable(producer, record), /^toWritable needs Node streams; in browsers use producer\.put$/);
  }
  const { Writable } = await import('node:stream');
  for (const file of ['dist/index.node.mjs', 'dist/index.node.cjs']) {
    const node = file.endsWith('.cjs') ? createRequire(import.meta.url)(join(root, file)) : await import(join(root, file));
    const { createProducer } = node;
    const client = new KinesisClient({ region: 'us-east-1' }); // nothing is written: no request goes out
    const real = createProducer({ client, streamName: 'never-written' });
    const sink = node.toWritable(real, record);
    assert.ok(sink instanceof Writable && sink.writableObjectMode, file);
    sink.destroy();
    await real.close();
    client.destroy();
  }
});
dist('limits.redis: the node build has the Redis-shared limiters; the browser build leaves them out and says so', async () => {
  const text = (file: string) => readFileSync(join(root, 'dist', file), 'utf8');
  for (const file of ['index.node.mjs', 'index.node.cjs']) assert.match(text(file), /function createRedisLink/, file);
  for (const file of ['index.mjs', 'index.cjs']) assert.not.match(text(file), /function createRedisLink|function createSharedShard/, file);
  const client = new KinesisClient({ region: 'us-east-1' }); // nothing is written: no request goes out
  const redis = { duplicate: () => redis, status: 'ready' };
  for (const file of ['dist/index.mjs', 'dist/index.cjs']) {
    const browser = file.endsWith('.cjs') ? createRequire(import.meta.url)(join(root, file)) : await import(join(root, file));
    assert.throws(() => browser.createProducer({ client, streamName: 's', limits: { redis } }), /^limits\.redis needs Node: Redis-shared limits are not in the browser build/, file);
    const local = browser.createProducer({ client, streamName: 's' });
    await local.close();
  }
  client.destroy();
});
dist.run();
