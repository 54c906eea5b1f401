import { ListShardsCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ErrorAnswer } from '../../src/testing/index.js';
import { describeError, errorOf, onBothProtocols, PROTOCOLS, withTimeout } from './helpers.js';

const STREAM = 'scripted';
const EXPIRED: ErrorAnswer = { status: 400, type: 'ExpiredTokenException', message: 'The security token included in the request is expired' };

const test = suite('failNext: the next requests of an operation answered with a chosen error');
const local = onBothProtocols(test, STREAM);

const put = (client: KinesisClient, data: string) => client.send(new PutRecordsCommand({ StreamName: STREAM, Records: [{ PartitionKey: data, Data: Buffer.from(data) }] }));
const stored = () => local.kinesis.stats().shards.reduce((n, s) => n + s.acceptedRecords, 0);

for (const protocol of PROTOCOLS) {
  test(
    `${protocol}: failNext('PutRecords', ExpiredTokenException, 2) fails exactly the next two puts, which store nothing`,
    withTimeout(5000, async () => {
      local.kinesis.resetStats();
      const client = local.clients[protocol];
      local.kinesis.failNext('PutRecords', EXPIRED, 2);
      for (let i = 0; i < 2; i++) {
        const error = await errorOf(put(client, `e${i}`));
        assert.equal([error.name, error.message, error.$metadata.httpStatusCode], [EXPIRED.type, EXPIRED.message, 400], describeError(error));
      }
      assert.is((await put(client, 'ok')).FailedRecordCount, 0);
      assert.is(local.kinesis.stats().faults.failNext, 2);
      assert.is(stored(), 1);
    }),
  );

  test(
    `${protocol}: failNext('ListShards', ResourceInUseException) fails one ListShards; puts are untouched`,
    withTimeout(5000, async () => {
      const client = local.clients[protocol];
      local.kinesis.failNext('ListShards', { status: 400, type: 'ResourceInUseException' });
      assert.is((await put(client, 'meanwhile')).FailedRecordCount, 0);
      const error = await errorOf(client.send(new ListShardsCommand({ StreamName: STREAM })));
      assert.is(error.name, 'ResourceInUseException', describeError(error));
      assert.is((await client.send(new ListShardsCommand({ StreamName: STREAM }))).Shards?.length, 1);
    }),
  );
}

test(
  'errors queued by several calls are used in the order given',
  withTimeout(5000, async () => {
    const client = local.clients['http/1.1'];
    local.kinesis.failNext('PutRecords', { status: 500, type: 'InternalFailure', message: 'first' });
    local.kinesis.failNext('PutRecords', { status: 503, type: 'ServiceUnavailable', message: 'then' }, 2);
    const seen = [];
    for (let i = 0; i < 3; i++) {
      const error = await errorOf(put(client, `q${i}`));
      seen.push(`${error.name} ${error.$metadata.httpStatusCode} ${error.message}`);
    }
    assert.equal(seen, ['InternalFailure 500 first', 'ServiceUnavailable 503 then', 'ServiceUnavailable 503 then']);
    assert.is((await put(client, 'after')).FailedRecordCount, 0);
  }),
);

test(
  "with the SDK's own retries on, two 500s are retried by the SDK and the third attempt is stored",
  withTimeout(10_000, async () => {
    local.kinesis.resetStats();
    const retrying = local.kinesis.client({ maxAttempts: 3 });
    local.kinesis.failNext('PutRecords', { status: 500, type: 'InternalFailure', message: 'Internal service failure.' }, 2);
    const out = await put(retrying, 'third time');
    assert.is(out.FailedRecordCount, 0);
    assert.is(out.$metadata.attempts, 3);
    assert.is(local.kinesis.stats().faults.failNext, 2);
    assert.is(local.kinesis.stats().operations.PutRecords, 3);
  }),
);

test('refuses an error the SDK could not read as one, and a count below 1', () => {
  assert.throws(() => local.kinesis.failNext('PutRecords', { status: 200, type: 'X' }), /status must be an integer in \[300, 599\]/);
  assert.throws(() => local.kinesis.failNext('PutRecords', { status: 400, type: '' }), /type must name the exception/);
  assert.throws(() => local.kinesis.failNext('PutRecords', EXPIRED, 0), /times must be an integer >= 1/);
  assert.throws(() => local.kinesis.failNext('', EXPIRED), /needs an operation name/);
});

test.run();
