import Bottleneck from 'bottleneck';
import { createServer, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { asyncScheduler } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { presence, updateSharedRate, type SharedRateParams } from '../../../src/throttle/redis-scripts.js';
import { TRANSIT_MARGIN, createShardLimiters } from '../../../src/throttle/shard-limiters.js';
import { CHECK_TIMEOUT_MS, REJOIN_TIMEOUT_MS } from '../../../src/throttle/shared-limits.js';
import type { ProducerSignal } from '../../../src/producer/signals.js';
import { requireRedis, startRedis, type RedisServer } from './redis-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
requireRedis();
let server: RedisServer;
let admin: Redis;

async function before() {
  server = await startRedis();
  admin = new Redis({ port: server.port });
  admin.on('error', () => undefined);
}
async function after() {
  admin?.disconnect();
  await server?.stop();
}

const bottleneck = suite("Bottleneck's clustered reservoir increase (its Lua, measured)");
bottleneck.before(before);
bottleneck.after(after);
bottleneck('counts whole elapsed intervals and keeps the remainder: no budget lost to heartbeat timing', async () => {
  const amount = 7;
  const interval = 13;
  const settings = { reservoir: 0, reservoirIncreaseAmount: amount, reservoirIncreaseInterval: interval, reservoirIncreaseMaximum: 1e9, heartbeatInterval: 250 };
  const startedBefore = Date.now();
  const clustered = new Bottleneck({ ...settings, id: 'refill', datastore: 'ioredis', clientOptions: { port: server.port }, clearDatastore: true });
  const local = new Bottleneck(settings);
  await clustered.ready();
  const startedAfter = Date.now();
  await sleep(1500);
  const readBefore = Date.now();
  const got = (await clustered.currentReservoir())!;
  const readAfter = Date.now();
  const gotLocal = (await local.currentReservoir())!;
  // The script's clock is the caller's Date.now() at each call: bracket both calls.
  const least = Math.floor((readBefore - startedAfter) / interval) * amount;
  const most = Math.floor((readAfter - startedBefore) / interval) * amount;
  assert.ok(got >= least && got <= most, `${got} not within [${least}, ${most}]`);
  // The local datastore adds one amount per heartbeat that finds an interval passed, and restarts the interval then.
  assert.ok(gotLocal <= ((readAfter - startedBefore) / settings.heartbeatInterval + 1) * amount, `local ${gotLocal}`);
  await clustered.disconnect();
  await local.stop();
});
bottleneck.run();

const scripts = suite('shared limits Lua scripts');
scripts.before(before);
scripts.after(after);
const params: SharedRateParams = { top: 1000, floor: 50, decreaseFactor: 0.8, increasePerSecond: 50, cooldownMs: 200, maxDebit: 200, ttlMs: 60_000 };
scripts('shared rate: a throttle cuts once per cooldown, whichever process reports it, and asks to empty the bucket', async () => {
  const key = 'rate:cooldown';
  assert.equal(await updateSharedRate(admin, key, 'throttled', 1000, params), { rate: 800, debit: 0, empty: true });
  const second = await updateSharedRate(admin, key, 'throttled', 1100, params);
  assert.equal(second, { rate: 800, debit: 20, empty: false }, 'inside the cooldown; 100 ms at 200/s owed');
  assert.equal(await updateSharedRate(admin, key, 'throttled', 1300, params), { rate: 640, debit: 40, empty: true });
});
scripts('shared rate: success regains linearly in time, debt carries fractions and is capped', async () => {
  const key = 'rate:regain';
  await updateSharedRate(admin, key, 'throttled', 0, params);
  let owed = 0;
  for (let t = 3; t <= 300; t += 3) owed += (await updateSharedRate(admin, key, 'sync', t, params)).debit;
  assert.is(owed, 60, '300 ms at 200/s, 0.6 token per call');
  const regained = await updateSharedRate(admin, key, 'succeeded', 2000, params);
  assert.is(regained.rate, 900, '2 s at 50/s since the throttle');
  assert.is(regained.debit, 200, '340 owed, capped');
  assert.is((await updateSharedRate(admin, key, 'succeeded', 60_000, params)).rate, 1000);
  assert.is((await updateSharedRate(admin, key, 'sync', 70_000, params)).debit, 0, 'nothing owed at the top');
});
scripts('shared rate: never below the floor', async () => {
  const key = 'rate:floor';
  let rate = 1000;
  for (let t = 0; t < 100 * 200; t += 200) rate = (await updateSharedRate(admin, key, 'throttled', t, params)).rate;
  assert.is(rate, 50);
});
scripts('presence counts the processes alive and forgets the silent ones', async () => {
  assert.is(await presence(admin, 'presence', 'a', 300), 1);
  assert.is(await presence(admin, 'presence', 'b', 300), 2);
  await sleep(450);
  assert.is(await presence(admin, 'presence', 'b', 300), 1);
});
scripts.run();

const top = 1000;
function limiters(redis: Record<string, unknown> | Redis, signals: ProducerSignal[] = [], key = 'two') {
  return createShardLimiters({
    budget: { recordsPerSecond: top, bytesPerSecond: 1024 * 1024 },
    rateLimit: 100,
    adaptive: {},
    scheduler: asyncScheduler,
    shared: { redis, key },
    onSignal: (s) => signals.push(s),
  });
}

/** Acquires batches of up to 50 again and again on a shard for `ms`, as the engine does; counts the tokens granted, and any rejection. */
async function drive(l: ReturnType<typeof limiters>, shardId: string, ms: number) {
  const until = Date.now() + ms;
  let granted = 0;
  let rejected = 0;
  while (Date.now() < until) {
    // Fractional, as a bytes-bound batch weighs: Bottleneck's whole tokens must not lose or refuse them.
    const weight = Math.min(50, l.maxWeight(shardId)) - 0.4;
    await l.acquire(shardId, weight).then(
      () => (granted += weight),
      () => rejected++,
    );
  }
  return { granted, rejected };
}

async function waitFor(what: string, ok: () => boolean, ms: number) {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const shared = suite('shard limiters sharing a budget through Redis (in one process)');
shared.before(before);
shared.after(after);
shared('two limiter sets share one budget: together at most the refill, and both get tokens', async () => {
  const a = limiters({ port: server.port });
  const b = limiters({ port: server.port });
  const started = Date.now();
  const [ga, gb] = await Promise.all([drive(a, 'shard-1', 1500), drive(b, 'shard-1', 1500)]);
  const seconds = (Date.now() - started) / 1000;
  const total = ga.granted + gb.granted;
  assert.ok(total <= 50 + 2 * 50 + top * seconds, `${total} tokens in ${seconds} s`);
  assert.ok(total >= 0.4 * top * seconds, `${total} tokens in ${seconds} s`);
  assert.ok(ga.granted > 0 && gb.granted > 0);
  a.dispose();
  b.dispose();
});
shared("a throttle seen by one process lowers the other's rate", async () => {
  const a = limiters({ port: server.port }, [], 'aimd');
  const b = limiters({ port: server.port }, [], 'aimd');
  await drive(a, 'shard-1', 100);
  // The default decrease factor (0.8) on the limiters' top: the budget less the transit margin.
  const lowered = 0.8 * top * (1 - TRANSIT_MARGIN);
  assert.is(a.throttled('shard-1'), lowered);
  await drive(b, 'shard-1', 600);
  assert.ok(b.rate('shard-1') <= lowered, `b's rate ${b.rate('shard-1')}`);
  a.dispose();
  b.dispose();
});
shared('Redis gone: local fallback at the share last seen, nothing rejected; Redis back: shared again', async () => {
  const signals: ProducerSignal[] = [];
  const a = limiters({ port: server.port }, signals, 'fallback');
  const b = limiters({ port: server.port }, [], 'fallback');
  await Promise.all([drive(a, 'shard-1', 1200), drive(b, 'shard-1', 1200)]);
  const limits = () => signals.filter((s) => s.type === 'limits');
  assert.equal(limits().map((s) => s.mode), ['shared']);
  await server.stop();
  const outage = drive(a, 'shard-1', 3000);
  await waitFor('local mode', () => limits().length === 2, 3000);
  const local = limits()[1];
  assert.is(local.type === 'limits' && local.mode, 'local');
  assert.is(local.type === 'limits' && local.share, 0.5, JSON.stringify(local));
  const during = await outage;
  assert.is(during.rejected, 0);
  assert.ok(during.granted > 0 && during.granted <= 50 + 0.5 * top * 3 + 100, `granted ${during.granted} in 3 s at half the budget`);
  await server.start();
  await waitFor('shared mode again', () => limits().length === 3, 8000);
  assert.is(limits()[2].type === 'limits' && limits()[2].mode, 'shared');
  const started = Date.now();
  const back = await Promise.all([drive(a, 'shard-1', 1000), drive(b, 'shard-1', 1000)]);
  const seconds = (Date.now() - started) / 1000;
  const total = back[0].granted + back[1].granted;
  assert.is(back[0].rejected + back[1].rejected, 0);
  assert.ok(total > 0 && total <= 3 * 50 + 200 + top * seconds, `shared again: ${total} tokens in ${seconds} s`);
  assert.is((await admin.keys('b_*fallback*_settings')).length, 1, "the limiter's state is back in Redis");
  a.dispose();
  b.dispose();
});
shared('Redis back while a process last seen is still away: the local share caps the one back until the wait is over', async () => {
  const signals: ProducerSignal[] = [];
  const a = limiters({ port: server.port }, signals, 'rejoin');
  const b = limiters({ port: server.port }, [], 'rejoin');
  try {
    await Promise.all([drive(a, 'shard-1', 1200), drive(b, 'shard-1', 1200)]);
    const limits = () => signals.filter((s) => s.type === 'limits');
    await server.stop();
    await waitFor('local mode', () => limits().length === 2, 3000);
    assert.is(limits()[1].type === 'limits' && limits()[1].share, 0.5);
    b.dispose(); // b does not come back
    await server.start();
    await waitFor('Redis back', () => limits().length === 3, 8000);
    const back = limits()[2];
    assert.is(back.type === 'limits' && back.mode, 'shared');
    assert.match(back.type === 'limits' ? back.reason : '', /keeps its local share until the 2 processes last seen are back/);
    const backAt = Date.now();
    const capped = await drive(a, 'shard-1', 1500);
    const seconds = (Date.now() - backAt) / 1000;
    assert.ok(capped.granted <= 50 + 0.5 * top * seconds + 100, `capped at half: ${capped.granted} tokens in ${seconds} s`);
    await sleep(Math.max(0, backAt + REJOIN_TIMEOUT_MS - Date.now()));
    const started = Date.now();
    const alone = await drive(a, 'shard-1', 1500);
    const aloneSeconds = (Date.now() - started) / 1000;
    assert.ok(alone.granted >= 0.7 * top * aloneSeconds, `the whole budget once b is taken as gone: ${alone.granted} tokens in ${aloneSeconds} s`);
  } finally {
    a.dispose();
    b.dispose();
  }
});
shared('state lost in Redis (flushed, or keys expired): the limiter re-creates it and sharing goes on', async () => {
  const signals: ProducerSignal[] = [];
  const a = limiters({ port: server.port }, signals, 'flush');
  const b = limiters({ port: server.port }, [], 'flush');
  await Promise.all([drive(a, 'shard-1', 500), drive(b, 'shard-1', 500)]);
  await admin.flushall();
  const started = Date.now();
  const after = await Promise.all([drive(a, 'shard-1', 1500), drive(b, 'shard-1', 1500)]);
  const seconds = (Date.now() - started) / 1000;
  const total = after[0].granted + after[1].granted;
  assert.ok(total >= 0.4 * top * seconds && total <= 3 * 50 + 200 + top * seconds, `${total} tokens in ${seconds} s`);
  assert.is((await admin.keys('b_*flush*_settings')).length, 1);
  assert.equal(signals.filter((s) => s.type === 'limits').map((s) => s.type === 'limits' && s.mode), ['shared']);
  a.dispose();
  b.dispose();
});
shared("dispose closes the connections it opened, and leaves a user's client alone", async () => {
  const connections = async () => String(await admin.call('CLIENT', 'LIST')).trim().split('\n').length;
  await sleep(200);
  const baseline = await connections();
  const mine = new Redis({ port: server.port });
  mine.on('error', () => undefined);
  const a = limiters(mine, [], 'dispose');
  const b = limiters({ port: server.port }, [], 'dispose');
  await Promise.all([drive(a, 'shard-1', 300), drive(b, 'shard-1', 300)]);
  assert.ok((await connections()) >= baseline + 5, 'user client + 2 of a + 2 of b');
  a.dispose();
  b.dispose();
  await sleep(500);
  assert.is(await connections(), baseline + 1, 'only the user client is left');
  assert.is(mine.status, 'ready');
  assert.is(await mine.ping(), 'PONG');
  mine.disconnect();
});
shared('closed while ioredis re-subscribes on its own after a reconnect: no unhandled rejection ends the process', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  const a = limiters({ port: server.port }, [], 'resubscribe');
  await drive(a, 'shard-1', 300);
  await server.stop();
  // A Redis that accepts the reconnect and answers the handshake, then never the SUBSCRIBE that
  // ioredis re-sends by itself: the reply is still due when the limiters close.
  const commands: string[] = [];
  const sockets = new Set<Socket>();
  const stand = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      for (const [, name] of chunk.toString().matchAll(/\*\d+\r\n\$\d+\r\n(\w+)/g)) {
        commands.push(name.toLowerCase());
        if (/^client$/i.test(name)) socket.write('+OK\r\n');
        if (/^info$/i.test(name)) socket.write('$11\r\nloading:0\r\n\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => stand.listen(server.port, '127.0.0.1', resolve));
  try {
    await waitFor('the re-sent SUBSCRIBE', () => commands.includes('subscribe'), 10_000);
    a.dispose();
    await sleep(CHECK_TIMEOUT_MS + 500); // the link gives quit() this long, then disconnects
    assert.equal(unhandled.map(String), []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
    a.dispose();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => stand.close(() => resolve()));
    await server.start();
  }
});
shared.run();
