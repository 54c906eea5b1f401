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

interface Chart {
  snapshots: number;
  points: number;
  putTotal: number;
  throttledTotal: number;
  maxPutRate: number;
  notOkIntervals: number;
  /** Points of each series' polyline, and shaded intervals of the pending row. */
  drawn: { put: number; throttled: number; pending: number; shaded: number };
  /** The caption of the records put row. */
  caption: string;
}

/** What the live chart took in (its data attributes) and drew (its SVG). */
const READ_CHART = `(() => {
  const svg = document.getElementById('chart');
  const n = (name) => Number(svg.dataset[name] ?? 0);
  const drawn = (series) => {
    const points = svg.querySelector('[data-series="' + series + '"] polyline').getAttribute('points').trim();
    return points === '' ? 0 : points.split(' ').length;
  };
  return {
    snapshots: n('snapshots'), points: n('points'), putTotal: n('putTotal'), throttledTotal: n('throttledTotal'),
    maxPutRate: n('maxPutRate'), notOkIntervals: n('notOkIntervals'),
    drawn: { put: drawn('put'), throttled: drawn('throttled'), pending: drawn('pending'), shaded: svg.querySelectorAll('rect[data-level]').length },
    caption: svg.querySelector('[data-series="put"] text').textContent,
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
  `${REAL_CLICKS} real and ${SIMULATED_CLICKS} simulated clicks reach Kinesis once each; the page counts them live and charts metrics$`,
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
    const readChart = () => page.evaluate<Chart>(READ_CHART);
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

    // The live chart: metrics$ every second (the app's default), so the snapshot after the last outcome holds the last records put.
    await page.waitForFunction((total) => Number(document.getElementById('chart')?.dataset.putTotal) === total, TOTAL, { timeout: 5000 });
    const settled = await readChart();
    await page.waitForFunction((n) => Number(document.getElementById('chart')?.dataset.snapshots) > n, settled.snapshots, { timeout: 5000 });
    const chart = await readChart();
    assert.is(settled.putTotal, TOTAL, "the chart's records put add up to the sent outcomes");
    assert.ok(chart.snapshots > settled.snapshots && chart.points >= settled.points, `the chart goes on taking snapshots (${settled.snapshots}, then ${chart.snapshots})`);
    assert.ok(chart.points > 0 && chart.points <= 60, `${chart.points} points drawn`);
    assert.equal([chart.drawn.put, chart.drawn.throttled, chart.drawn.pending], [chart.points, chart.points, chart.points], 'each series draws a point per snapshot');
    assert.match(chart.caption, /^records put\/s: \d+ \(max [1-9]\d*\)$/);
    assert.ok(chart.maxPutRate > 0, `records/s put was above 0 at some point (at most ${chart.maxPutRate})`);
    assert.ok(chart.notOkIntervals >= 1 && chart.drawn.shaded >= 1, `the intervals where pressure$ was high are shaded (${chart.notOkIntervals})`);

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
    console.log(`  live chart: ${chart.snapshots} snapshots, ${chart.points} points, up to ${chart.maxPutRate} records/s put, ${chart.throttledTotal} throttled by Kinesis, ${chart.notOkIntervals} intervals under pressure`);
  }),
);

app.run();
