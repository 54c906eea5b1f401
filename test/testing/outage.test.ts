import net from 'node:net';
import { once } from 'node:events';
import { ListShardsCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startLocalKinesis, type LocalKinesis } from '../../src/testing/index.js';
import { clientOn, describeError, errorOf, PROTOCOLS, withTimeout, type Protocol } from './helpers.js';

const STREAM = 'outages';
/** Longer than any test: each outage here is ended by endOutage(), so no assertion races its timer. */
const LONG_MS = 60_000;
/** A request into a hung endpoint is given up after this long, in milliseconds. */
const GIVE_UP_MS = 300;

const test = suite('outage: the whole endpoint down, then back on the same port');
let kinesis: LocalKinesis;

test.before(
  withTimeout(10_000, async () => {
    kinesis = await startLocalKinesis({ limits: false });
    await kinesis.createStream(STREAM, 1);
  }),
);
test.after(() => kinesis?.stop());

const put = (client: KinesisClient, timeoutMs = 5000) =>
  client.send(new PutRecordsCommand({ StreamName: STREAM, Records: [{ PartitionKey: 'a', Data: Buffer.from('x') }] }), { abortSignal: AbortSignal.timeout(timeoutMs) });

/** Runs `work` with a fresh client on `protocol`, with no connection kept from earlier tests. */
async function withClient<T>(protocol: Protocol, work: (client: KinesisClient) => Promise<T>): Promise<T> {
  const client = clientOn(kinesis, protocol, { maxAttempts: 1 });
  try {
    return await work(client);
  } finally {
    client.destroy();
  }
}

/** The code of a connection error: the SDK's HTTP/2 handler wraps it (ERR_HTTP2_STREAM_CANCEL, caused by it). */
const connectionCode = (protocol: Protocol, error: any) => (protocol === 'h2' && error?.code === 'ERR_HTTP2_STREAM_CANCEL' ? error.cause?.code : error?.code);

for (const protocol of PROTOCOLS) {
  test(
    `${protocol}: 'refuse' closes the port (ECONNREFUSED) and open connections, then listens on the same port again`,
    withTimeout(10_000, async () => {
      kinesis.resetStats();
      const open = net.connect(Number(new URL(kinesis.endpoint).port), '127.0.0.1');
      await once(open, 'connect');
      const closed = once(open, 'close');
      const down = kinesis.outage({ mode: 'refuse', ms: LONG_MS });
      await closed;
      const error = await withClient(protocol, (client) => errorOf(put(client)));
      assert.is(connectionCode(protocol, error), 'ECONNREFUSED', describeError(error));
      kinesis.endOutage();
      await down;
      assert.is(await withClient(protocol, async (client) => (await put(client)).FailedRecordCount), 0, 'answers again on the same endpoint');
      assert.is(kinesis.stats().faults.outages, 1);
    }),
  );

  test(
    `${protocol}: 'hang' takes requests of every operation and answers none; those still open at its end are reset`,
    withTimeout(10_000, async () => {
      kinesis.resetStats();
      await withClient(protocol, async (client) => {
        const down = kinesis.outage({ mode: 'hang', ms: LONG_MS });
        assert.is((await errorOf(put(client, GIVE_UP_MS))).name, 'AbortError');
        const listed = client.send(new ListShardsCommand({ StreamName: STREAM }), { abortSignal: AbortSignal.timeout(GIVE_UP_MS) });
        assert.is((await errorOf(listed)).name, 'AbortError');
        const waiting = errorOf(put(client, LONG_MS));
        for (let wait = 0; wait < 200 && kinesis.stats().faults.outageRequests < 3; wait++) await new Promise((resolve) => setTimeout(resolve, 10));
        kinesis.endOutage();
        await down;
        const error = await waiting;
        if (protocol === 'h2') assert.equal([error.code, /NGHTTP2_INTERNAL_ERROR/.test(error.message)], ['ERR_HTTP2_STREAM_ERROR', true], describeError(error));
        else assert.is(error.code, 'ECONNRESET', describeError(error));
        assert.is((await put(client)).FailedRecordCount, 0);
      });
      assert.is(kinesis.stats().faults.outageRequests, 3);
    }),
  );

  test(
    `${protocol}: 'reset' destroys new connections as they come, and requests on kept-alive ones`,
    withTimeout(10_000, async () => {
      kinesis.resetStats();
      await withClient(protocol, async (client) => {
        assert.is((await put(client)).FailedRecordCount, 0, 'a connection kept alive (HTTP/1.1) before the outage');
        const down = kinesis.outage({ mode: 'reset', ms: LONG_MS });
        const kept = await errorOf(put(client));
        const fresh = await withClient(protocol, (other) => errorOf(put(other)));
        kinesis.endOutage();
        await down;
        for (const error of [kept, fresh]) assert.ok(['ECONNRESET', 'EPIPE'].includes(connectionCode(protocol, error)), describeError(error));
        assert.is((await put(client)).FailedRecordCount, 0);
      });
      const { refusedConnections, outageRequests } = kinesis.stats().faults;
      // HTTP/2 from the SDK opens a connection per request; HTTP/1.1 reuses the one it kept.
      assert.equal([refusedConnections, outageRequests], protocol === 'h2' ? [2, 0] : [1, 1]);
    }),
  );
}

test(
  'an outage ends by itself after ms; a second one cannot start while one is under way; bad options are refused',
  withTimeout(10_000, async () => {
    const down = kinesis.outage({ mode: 'refuse', ms: 200 });
    const second = await errorOf(kinesis.outage({ mode: 'hang', ms: 10 }));
    assert.match(second.message, 'an outage (refuse) is already under way');
    await down;
    assert.is(await withClient('http/1.1', async (client) => (await put(client)).FailedRecordCount), 0);
    assert.instance(await errorOf(kinesis.outage({ mode: 'flaky' as 'hang', ms: 10 })), TypeError);
    assert.instance(await errorOf(kinesis.outage({ mode: 'hang', ms: -1 })), RangeError);
  }),
);

for (const endFirst of [false, true]) {
  test(
    `stop() ${endFirst ? 'right after endOutage()' : 'during an outage'} ends it without listening again`,
    withTimeout(10_000, async () => {
      const local = await startLocalKinesis();
      const port = Number(new URL(local.endpoint).port);
      const down = local.outage({ mode: 'refuse', ms: LONG_MS });
      if (endFirst) local.endOutage();
      await local.stop();
      await down;
      const socket = net.connect(port, '127.0.0.1');
      const [error] = await once(socket, 'error');
      assert.is(error.code, 'ECONNREFUSED');
    }),
  );
}

test.run();
