import { ListShardsCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { describeError, errorOf, onBothProtocols, PROTOCOLS, withTimeout } from './helpers.js';

const STREAM = 'ops';
const NONE = { hangRate: 0, resetRate: 0, goawayRate: 0, http500Rate: 0, http503Rate: 0, throttleRequestRate: 0, truncateRate: 0, latencyMs: 0 };
/** A hung ListShards is given up after this long, in milliseconds. */
const HANG_ABORT_MS = 500;

const test = suite('operations: which operations the request faults apply to');
const local = onBothProtocols(test, STREAM);

const listShards = (client: KinesisClient) => client.send(new ListShardsCommand({ StreamName: STREAM }), { abortSignal: AbortSignal.timeout(HANG_ABORT_MS) });
const putOne = (client: KinesisClient) => client.send(new PutRecordsCommand({ StreamName: STREAM, Records: [{ PartitionKey: 'a', Data: Buffer.from('x') }] }));

test(
  'by default (PutRecords and PutRecord) a ListShards is never failed',
  withTimeout(5000, async () => {
    local.kinesis.setFaults({ ...NONE, http500Rate: 1 });
    for (const protocol of PROTOCOLS) {
      assert.is((await listShards(local.clients[protocol])).Shards?.length, 1);
      assert.is((await errorOf(putOne(local.clients[protocol]))).name, 'InternalFailure');
    }
  }),
);

for (const protocol of PROTOCOLS) {
  test(
    `${protocol}: with operations ['ListShards', 'PutRecords'], a ListShards can hang, reset, fail, be throttled, be cut and be slow`,
    withTimeout(10_000, async () => {
      const client = local.clients[protocol];
      local.kinesis.resetStats();
      const expect = async (rate: Record<string, number>, check: (error: any) => boolean) => {
        local.kinesis.setFaults({ ...NONE, ...rate, operations: ['ListShards', 'PutRecords'] });
        const error = await errorOf(listShards(client));
        assert.ok(check(error), `${JSON.stringify(rate)}: ${describeError(error)}`);
      };
      await expect({ hangRate: 1 }, (e) => e.name === 'AbortError');
      await expect({ resetRate: 1 }, (e) => (protocol === 'h2' ? e.code === 'ERR_HTTP2_STREAM_ERROR' : e.code === 'ECONNRESET'));
      await expect({ http500Rate: 1 }, (e) => e.name === 'InternalFailure' && e.$metadata.httpStatusCode === 500);
      await expect({ http503Rate: 1 }, (e) => e.name === 'ServiceUnavailable' && e.$metadata.httpStatusCode === 503);
      await expect({ throttleRequestRate: 1 }, (e) => e.name === 'LimitExceededException' && e.$metadata.httpStatusCode === 400);
      await expect({ truncateRate: 1 }, (e) => e.$metadata?.httpStatusCode === 200);
      assert.equal(
        [local.kinesis.stats().faults].map(({ hangs, resets, http500, http503, throttledRequests, truncated }) => ({ hangs, resets, http500, http503, throttledRequests, truncated })),
        [{ hangs: 1, resets: 1, http500: 1, http503: 1, throttledRequests: 1, truncated: 1 }],
      );
      local.kinesis.setFaults({ ...NONE, latencyMs: 60, operations: ['ListShards'] });
      const start = performance.now();
      assert.is((await client.send(new ListShardsCommand({ StreamName: STREAM }))).Shards?.length, 1);
      assert.ok(performance.now() - start >= 59, 'ListShards waited the latency');
    }),
  );
}

test(
  "with operations ['ListShards'] alone, puts are no longer failed; setFaults without operations keeps them",
  withTimeout(5000, async () => {
    local.kinesis.setFaults({ ...NONE, http500Rate: 1, operations: ['ListShards'] });
    local.kinesis.setFaults({ http503Rate: 0 });
    assert.is((await putOne(local.clients['http/1.1'])).FailedRecordCount, 0);
    assert.is((await errorOf(listShards(local.clients['http/1.1']))).name, 'InternalFailure');
    assert.throws(() => local.kinesis.setFaults({ operations: 'ListShards' as unknown as string[] }), /operations must be an array/);
    local.kinesis.setFaults({ ...NONE, operations: ['PutRecords', 'PutRecord'] });
  }),
);

test.run();
