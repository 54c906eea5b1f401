import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startLocalKinesis, type LocalKinesis } from '../../src/testing/index.js';
import { PROTOCOLS, withTimeout } from './helpers.js';
import { operation, rawRequest } from './raw-request.js';

const STREAM = 'guarded';
const putBody = JSON.stringify({ StreamName: STREAM, Records: [{ PartitionKey: 'a', Data: Buffer.from('x').toString('base64') }] });
const preflightHeaders = (origin: string) => ({ origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-amz-target' });
const accepted = (kinesis: LocalKinesis) => kinesis.stats().shards.reduce((n, s) => n + s.acceptedRecords, 0);

const test = suite('safe to leave running: loopback names and origins only');
let kinesis: LocalKinesis;
let port: number;

test.before(
  withTimeout(10_000, async () => {
    kinesis = await startLocalKinesis({ corsOrigins: ['https://app.test:8443'] });
    await kinesis.createStream(STREAM, 1);
    port = Number(new URL(kinesis.endpoint).port);
  }),
);
test.after(() => kinesis?.stop());

for (const protocol of PROTOCOLS) {
  test(
    `${protocol}: a request addressed to another name (DNS rebinding) is refused with 403 and nothing is stored`,
    withTimeout(5000, async () => {
      kinesis.resetStats();
      for (const host of [`evil.example:${port}`, `localhost.evil.example:${port}`, `127.0.0.1.nip.io:${port}`]) {
        const answer = await rawRequest(protocol, kinesis.endpoint, 'POST', { ...operation('PutRecords'), host }, putBody);
        assert.is(answer.status, 403, host);
        const { __type, message } = JSON.parse(answer.body);
        assert.is(__type, 'AccessDeniedException');
        assert.match(message, `Host "${host}" is not a loopback name`);
      }
      assert.is(accepted(kinesis), 0);
    }),
  );

  test(
    `${protocol}: localhost, 127.0.0.1 and [::1] are loopback names, with a port or without`,
    withTimeout(5000, async () => {
      kinesis.resetStats();
      for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'LOCALHOST', '127.0.0.1']) {
        const answer = await rawRequest(protocol, kinesis.endpoint, 'POST', { ...operation('PutRecords'), host }, putBody);
        assert.is(answer.status, 200, `${host}: ${answer.body}`);
      }
      assert.is(accepted(kinesis), 5);
    }),
  );

  test(
    `${protocol}: pages on loopback origins and on corsOrigins are answered with their own origin and Vary: Origin`,
    withTimeout(5000, async () => {
      for (const origin of ['http://localhost:3000', 'http://127.0.0.1:8080', 'http://[::1]:5173', 'http://localhost', 'https://app.test:8443']) {
        const preflight = await rawRequest(protocol, kinesis.endpoint, 'OPTIONS', preflightHeaders(origin));
        assert.is(preflight.status, 200, origin);
        assert.is(preflight.headers['access-control-allow-origin'], origin);
        assert.is(preflight.headers.vary, 'Origin');
        assert.is(preflight.headers['access-control-allow-headers'], 'content-type,x-amz-target');
        // Proxied to kinesalite, which would answer '*': the front's own answer wins.
        const listed = await rawRequest(protocol, kinesis.endpoint, 'POST', { ...operation('ListShards'), origin }, JSON.stringify({ StreamName: STREAM }));
        assert.is(listed.status, 200, origin);
        assert.is(listed.headers['access-control-allow-origin'], origin);
        assert.match(String(listed.headers['access-control-expose-headers']), 'x-amzn-RequestId');
      }
    }),
  );

  test(
    `${protocol}: pages on other origins get 403 and no CORS headers, preflight or not, and write nothing`,
    withTimeout(5000, async () => {
      kinesis.resetStats();
      for (const origin of ['http://evil.example', 'http://localhost.evil.example:3000', 'https://app.test', 'null']) {
        const preflight = await rawRequest(protocol, kinesis.endpoint, 'OPTIONS', preflightHeaders(origin));
        assert.is(preflight.status, 403, origin);
        assert.is(preflight.headers['access-control-allow-origin'], undefined);
        const put = await rawRequest(protocol, kinesis.endpoint, 'POST', { ...operation('PutRecords'), origin }, putBody);
        assert.is(put.status, 403, origin);
        assert.is(put.headers['access-control-allow-origin'], undefined);
        assert.match(JSON.parse(put.body).message, `Origin "${origin}" is not allowed`);
      }
      assert.is(accepted(kinesis), 0);
    }),
  );
}

test(
  "corsOrigins ['*'] answers any page with '*'; an origin that is not scheme://host[:port] is refused at start",
  withTimeout(10_000, async () => {
    const open = await startLocalKinesis({ corsOrigins: ['*'] });
    try {
      const preflight = await rawRequest('http/1.1', open.endpoint, 'OPTIONS', preflightHeaders('http://anything.example'));
      assert.is(preflight.status, 200);
      assert.is(preflight.headers['access-control-allow-origin'], '*');
    } finally {
      await open.stop();
    }
    for (const origin of ['http://app.test/', 'app.test:8080', 'http://app.test/path']) {
      try {
        await startLocalKinesis({ corsOrigins: [origin] });
        assert.unreachable(`${origin} was taken`);
      } catch (error) {
        assert.instance(error, RangeError);
        assert.match((error as Error).message, `got "${origin}"`);
      }
    }
  }),
);

test.run();
