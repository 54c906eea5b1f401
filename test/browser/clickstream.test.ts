import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startLocalKinesis, type LocalKinesis } from '../../src/testing/index.js';
import { launchChromium, runScript, serveDir, withTimeout } from './browser.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const REAL_CLICKS = 10;
const SIMULATED_CLICKS = 990;
const TOTAL = REAL_CLICKS + SIMULATED_CLICKS;

interface StoredClick {
  sessionId: string;
  seq: number;
  target: string;
}

/** Every click stored in the stream, read back with GetShardIterator and GetRecords. */
async function readClicks(client: KinesisClient, streamName: string): Promise<StoredClick[]> {
  const clicks: StoredClick[] = [];
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: streamName }));
  for (const { ShardId } of Shards) {
    let iterator = (await client.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    for (let call = 0; call < 1000 && iterator; call++) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const r of page.Records ?? []) clicks.push(JSON.parse(new TextDecoder().decode(r.Data)));
      if (!page.Records?.length) break;
      iterator = page.NextShardIterator;
    }
  }
  return clicks;
}

interface Counts {
  clicks: number;
  sent: number;
  failed: number;
  batches: number;
  pressureChanges: number;
  throttledLocal: number;
  dropped: number;
  pressure: string;
}

/** Read in the page as a string: tsx would wrap a function's inner helpers in a `__name` the page lacks. */
const READ_COUNTS = `(() => {
  const n = (id) => Number(document.getElementById(id).textContent);
  return {
    clicks: n('clicks'), sent: n('sent'), failed: n('failed'), batches: n('batches'),
    pressureChanges: n('pressure-changes'), throttledLocal: n('throttled-local'), dropped: n('dropped'),
    pressure: document.getElementById('pressure').textContent,
  };
})()`;

const app = suite('clickstream example app in Chromium, against the local Kinesis with its limits on');
let kinesis: LocalKinesis;
let site: Awaited<ReturnType<typeof serveDir>>;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let outDir: string;

app.before(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'rxjs-kinesis-clickstream-'));
  // Rollup's plugins are ES modules only, and uvu loads tests as CommonJS: build in a child process.
  runScript('docs/examples/clickstream/build.ts', outDir);
  kinesis = await startLocalKinesis({ limits: true });
  await kinesis.createStream('clicks', 2);
  site = await serveDir(outDir);
  browser = await launchChromium();
});

app.after(async () => {
  await browser?.close();
  await site?.close();
  await kinesis?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

app(
  `${REAL_CLICKS} real and ${SIMULATED_CLICKS} simulated clicks reach Kinesis once each; the page counts them live`,
  withTimeout(60_000, async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));

    // A small buffer so pressure$ turns 'high' and the simulation waits for the producer to drain.
    const query = new URLSearchParams({ endpoint: kinesis.endpoint, stream: 'clicks', region: kinesis.region, buffer: '500' });
    await page.goto(`${site.url}/index.html?${query}`);
    await page.waitForFunction(() => document.getElementById('pressure')?.textContent === 'ok');
    const sessionId = await page.textContent('#session');
    assert.match(sessionId ?? '', /^[0-9a-f-]{36}$/);

    for (let i = 0; i < REAL_CLICKS; i++) await page.click(`#product-${1 + (i % 8)}`);
    await page.fill('#simulate-count', String(SIMULATED_CLICKS));
    await page.click('#simulate');

    const read = () => page.evaluate<Counts>(READ_COUNTS);
    const samples: Counts[] = [];
    for (let last = await read(); last.sent + last.failed < TOTAL; last = await read()) {
      samples.push(last);
      await page.waitForTimeout(25);
    }
    const end = await read();
    samples.push(end);

    assert.equal(errors, [], `no console errors on the page (404s: ${site.notFound.join(', ') || 'none'})`);
    assert.is(end.clicks, TOTAL, 'clicks made');
    assert.is(end.failed, 0, 'no failed outcome');
    assert.is(end.sent, TOTAL, 'every click has a sent outcome');
    assert.is(end.dropped, 0, 'nothing dropped: the simulation follows pressure$');
    assert.ok(end.batches > 0, 'batchSent signals counted');
    assert.ok(end.pressureChanges >= 2, `pressure$ went high and back to ok (${end.pressureChanges} changes)`);
    assert.is(end.pressure, 'ok');
    const partial = new Set(samples.map((s) => s.sent).filter((n) => n > 0 && n < TOTAL));
    assert.ok(partial.size >= 2, `the sent count moved while sending (${[...partial].join(', ')})`);
    assert.ok(samples.some((s) => s.batches > 0 && s.sent < TOTAL), 'batches counted before the end');

    const stored = await readClicks(kinesis.client(), 'clicks');
    const ids = new Set(stored.map((c) => `${c.sessionId}#${c.seq}`));
    assert.is(stored.length, TOTAL, 'records in the stream');
    assert.is(ids.size, TOTAL, 'each click stored once');
    const own = stored.filter((c) => c.sessionId === sessionId);
    assert.is(own.length, REAL_CLICKS, "the page's own clicks, keyed by its session");
    assert.equal(own.map((c) => c.seq).sort((a, b) => a - b), [...Array(REAL_CLICKS).keys()]);
    assert.ok(own.every((c) => /^button#product-\d$/.test(c.target)));
    assert.ok((kinesis.stats().operations.OPTIONS ?? 0) > 0, 'the browser sent CORS preflights');

    console.log(`  browser round trip: ${stored.length} of ${TOTAL} clicks read back; ${end.batches} batches, ${end.pressureChanges} pressure changes, ${end.throttledLocal} throttled locally`);
  }),
);

app.run();
