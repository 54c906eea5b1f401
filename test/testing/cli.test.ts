import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openShards, readShard, withTimeout } from './helpers.js';

/** A page on a dev server on this machine: a loopback origin, allowed by default. */
const ORIGIN = 'http://localhost:5173';
/** A page on another site, allowed only because the command was told so. */
const ALLOWED = 'http://app.test:8080';
/** The signature kinesalite insists on being present (it never checks it). */
const SIGNED = {
  authorization: 'AWS4-HMAC-SHA256 Credential=local/20250101/us-east-1/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=00',
  'x-amz-date': '20250101T000000Z',
  'content-type': 'application/x-amz-json-1.1',
};

const test = suite('rxjs-kinesis-local command');
let child: ChildProcess;
let output = '';
let endpoint: string;

test.before(
  withTimeout(20_000, async () => {
    // Its own process group, so the test can signal the command and everything npx started for it.
    child = spawn('npx', ['tsx', 'src/testing/cli.ts', '--port', '0', '--stream', 'demo:2', '--cors-origin', ALLOWED], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    while (!/limits\s+on/.test(output)) {
      if (child.exitCode !== null) throw new Error(`command exited early: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    endpoint = /endpoint\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1];
  }),
);
test.after(() => {
  if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
});

test('prints the endpoint, region and streams', () => {
  assert.match(output, /region\s+us-east-1/);
  assert.match(output, /stream\s+demo \(2 shards\)/);
});

test(
  'answers a CORS preflight with the origin, method and headers the page asked for',
  withTimeout(5000, async () => {
    const res = await fetch(endpoint, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-amz-target,authorization,x-amz-date' },
    });
    assert.is(res.status, 200);
    assert.is(res.headers.get('access-control-allow-origin'), ORIGIN);
    assert.is(res.headers.get('vary'), 'Origin');
    assert.match(res.headers.get('access-control-allow-methods') ?? '', 'POST');
    assert.is(res.headers.get('access-control-allow-headers'), 'content-type,x-amz-target,authorization,x-amz-date');
  }),
);

test(
  'takes a PutRecords from another origin and exposes the request id; proxied calls carry CORS headers too',
  withTimeout(5000, async () => {
    const records = [{ PartitionKey: 'a', Data: Buffer.from('hello').toString('base64') }, { PartitionKey: 'b', Data: Buffer.from('world').toString('base64') }];
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { ...SIGNED, origin: ORIGIN, 'x-amz-target': 'Kinesis_20131202.PutRecords' },
      body: JSON.stringify({ StreamName: 'demo', Records: records }),
    });
    assert.is(res.status, 200);
    assert.is(res.headers.get('access-control-allow-origin'), ORIGIN);
    assert.match(res.headers.get('access-control-expose-headers') ?? '', 'x-amzn-RequestId');
    assert.ok(res.headers.get('x-amzn-requestid'));
    const body = await res.json();
    assert.is(body.FailedRecordCount, 0);
    assert.ok(body.Records.every((r: { ShardId: string; SequenceNumber: string }) => r.ShardId.startsWith('shardId-') && /^\d+$/.test(r.SequenceNumber)));

    const listed = await fetch(endpoint, { method: 'POST', headers: { ...SIGNED, origin: ORIGIN, 'x-amz-target': 'Kinesis_20131202.ListShards' }, body: JSON.stringify({ StreamName: 'demo' }) });
    assert.is(listed.status, 200);
    assert.is(listed.headers.get('access-control-allow-origin'), ORIGIN);
    assert.is((await listed.json()).Shards.length, 2);
  }),
);

test(
  'answers a page on an origin given with --cors-origin; refuses other sites with 403 and no CORS headers',
  withTimeout(5000, async () => {
    const preflight = (origin: string) =>
      fetch(endpoint, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-amz-target' } });
    const allowed = await preflight(ALLOWED);
    assert.is(allowed.status, 200);
    assert.is(allowed.headers.get('access-control-allow-origin'), ALLOWED);
    for (const origin of ['http://page.example', 'http://app.test:8081', 'https://app.test:8080']) {
      const refused = await preflight(origin);
      assert.is(refused.status, 403, origin);
      assert.is(refused.headers.get('access-control-allow-origin'), null);
      assert.match((await refused.json()).message, `Origin "${origin}" is not allowed`);
    }
  }),
);

test(
  'stops cleanly on SIGTERM',
  withTimeout(10_000, async () => {
    // The output pipe closes once every process of the command (npx, tsx, node) is gone.
    const closed = once(child.stdout!, 'close');
    process.kill(-child.pid!, 'SIGTERM');
    await closed;
    // The command's own line, printed after both servers closed.
    assert.match(output, 'stopped on SIGTERM');
  }),
);

test.run();

const bin = suite('the built rxjs-kinesis-local bin (npm test builds dist/ first)');
bin(
  'starts from dist/local-cli.mjs on a free port, serves the SDK\'s default HTTP/2 client, and stops cleanly on Ctrl-C (SIGINT)',
  withTimeout(20_000, async () => {
    const cli = spawn(process.execPath, ['dist/local-cli.mjs', '--port', '0', '--stream', 'ctrl-c:1'], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let text = '';
    cli.stdout!.on('data', (chunk) => (text += chunk));
    cli.stderr!.on('data', (chunk) => (text += chunk));
    let client: KinesisClient | undefined;
    try {
      while (!/limits\s+on/.test(text)) {
        if (cli.exitCode !== null) throw new Error(`bin exited early: ${text}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.match(text, /stream\s+ctrl-c \(1 shards?\)/);
      const port = Number(/endpoint\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(text)?.[1]);
      assert.ok(port > 0, `the endpoint line names the port it listens on: ${text}`);

      // No request handler: the SDK's default, HTTP/2 with prior knowledge.
      client = new KinesisClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
      const Records = ['one', 'two', 'three'].map((word) => ({ PartitionKey: word, Data: Buffer.from(word) }));
      const out = await client.send(new PutRecordsCommand({ StreamName: 'ctrl-c', Records }));
      assert.is(out.FailedRecordCount, 0);
      const [shard] = await openShards(client, 'ctrl-c');
      assert.equal((await readShard(client, 'ctrl-c', shard.ShardId!)).map((d) => Buffer.from(d).toString()), ['one', 'two', 'three']);

      const exited = once(cli, 'exit');
      cli.kill('SIGINT');
      const [code] = await exited;
      assert.is(code, 0, text);
      assert.match(text, 'stopped on SIGINT');
    } finally {
      client?.destroy();
      if (cli.exitCode === null && cli.signalCode === null) cli.kill('SIGKILL');
    }
  }),
);
bin.run();
