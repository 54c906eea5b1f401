import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { REJOIN_TIMEOUT_MS, checkSharedLimits, fallbackShare, limiterId, rejoined, streamKey } from '../../../src/throttle/shared-limits.js';
import { increaseSchedule } from '../../../src/throttle/token-bucket.js';

const schedule = suite('reservoir increase for Bottleneck: whole tokens per whole ms');
schedule('a rate that divides evenly is kept exactly, at the finest interval', () => {
  assert.equal(increaseSchedule(1000, 100), { amount: 1, intervalMs: 1 });
  assert.equal(increaseSchedule(2500, 100), { amount: 5, intervalMs: 2 });
  assert.equal(increaseSchedule(250, 100), { amount: 1, intervalMs: 4 });
});
schedule('any other rate: never above it, within one token per longest interval below it', () => {
  for (const rate of [333, 333.3, 777, 1001, 49.5, 12.34]) {
    const { amount, intervalMs } = increaseSchedule(rate, 100);
    const got = (amount * 1000) / intervalMs;
    assert.ok(got <= rate + 1e-6, `${rate}: ${got}`);
    assert.ok(got >= rate - 1000 / 100, `${rate}: ${got}`);
    assert.ok(Number.isInteger(amount) && Number.isInteger(intervalMs) && intervalMs <= 100);
  }
});
schedule('a rate below one token per interval: one token per longer interval', () => {
  assert.equal(increaseSchedule(5, 100), { amount: 1, intervalMs: 200 });
});
schedule.run();

const options = suite('shared limits options');
options('processes meet under the stream name, from the name or the ARN, unless a key is given', () => {
  assert.is(streamKey({}, { streamName: 'orders' }), 'orders');
  assert.is(streamKey({}, { streamARN: 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders' }), 'orders');
  assert.is(streamKey({ key: 'k' }, { streamName: 'orders' }), 'k');
  assert.is(streamKey({}, undefined), '*', 'unknown stream: one budget per shard id for all');
});
options("a shard's limiter id keeps Bottleneck's keys in one Redis Cluster slot", () => {
  assert.is(limiterId('orders', 'shardId-000000000001'), '{rxjs-kinesis:orders:shardId-000000000001}');
});
options('the fallback share: configured, else one over the processes last seen, else all', () => {
  assert.is(fallbackShare(0.25, 3), 0.25);
  assert.is(fallbackShare(undefined, 4), 0.25);
  assert.is(fallbackShare(undefined, undefined), 1);
  assert.is(fallbackShare(undefined, 0), 1);
});
options('back on Redis: the local cap stays until every process last seen is back, or the wait is over', () => {
  assert.not.ok(rejoined(1, 3, 0), 'alone of three');
  assert.not.ok(rejoined(2, 3, REJOIN_TIMEOUT_MS - 1), 'one still away');
  assert.not.ok(rejoined(undefined, 3, 0), 'not counted yet');
  assert.ok(rejoined(3, 3, 0), 'all back');
  assert.ok(rejoined(4, 3, 0), 'one more than before');
  assert.ok(rejoined(1, 3, REJOIN_TIMEOUT_MS), 'the ones away are taken as gone');
  assert.ok(rejoined(1, undefined, 0), 'Redis never answered before: nobody to wait for');
});
options('bad options throw early', () => {
  assert.throws(() => checkSharedLimits({} as never), /redis/);
  assert.throws(() => checkSharedLimits({ redis: { port: 1 }, fallbackShare: 0 }), /fallbackShare/);
  assert.throws(() => checkSharedLimits({ redis: { port: 1 }, fallbackShare: 1.5 }), /fallbackShare/);
  assert.throws(() => checkSharedLimits({ redis: { port: 1 }, key: '' }), /key/);
  checkSharedLimits({ redis: { port: 1 }, fallbackShare: 1, key: 'k' });
});
options.run();
