/**
 * The clickstream example app: the browser recipe's `startClickstream` wired to a page that shows what the
 * producer reports. Query parameters: `endpoint` (a local Kinesis), `stream`, `region`, `buffer`, `metrics`
 * (the interval of the live chart, in ms).
 */
import { Subject } from 'rxjs';
import { pullFrom, type PressureLevel } from 'rxjs-kinesis';
import { startClickstream, type Click } from '../../recipes/code/browser-clickstream.js';
import { createMetricsChart } from './chart.js';

const params = new URLSearchParams(location.search);
const endpoint = params.get('endpoint') ?? 'http://127.0.0.1:4567';
const streamName = params.get('stream') ?? 'demo';
const region = params.get('region') ?? 'us-east-1';
const maxBufferedRecords = Number(params.get('buffer') ?? 5000);
const metricsIntervalMs = Number(params.get('metrics') ?? 1000);

// The local Kinesis takes any credentials; on AWS this is fromCognitoIdentityPool({ identityPoolId, clientConfig: { region } }).
const credentials = async () => ({ accessKeyId: 'local', secretAccessKey: 'local' });

const simulated$ = new Subject<Click>();
const { sessionId, outcomes$, signals$, pressure$, metrics$ } = startClickstream({
  region,
  streamName,
  credentials,
  endpoint,
  maxBufferedRecords,
  more$: simulated$,
  metricsIntervalMs,
});

const counts = {
  clicks: 0,
  sent: 0,
  failed: 0,
  batches: 0,
  retried: 0,
  'throttled-local': 0,
  'throttled-service': 0,
  dropped: 0,
  expired: 0,
  'pressure-changes': 0,
  held: 0,
};
let pressure = '-';
const latest: string[] = [];
const $ = (id: string) => document.getElementById(id)!;

let renderPending = false;
function render(): void {
  if (renderPending) return;
  renderPending = true;
  requestAnimationFrame(() => {
    renderPending = false;
    for (const [id, n] of Object.entries(counts)) $(id).textContent = String(n);
    $('pressure').textContent = pressure;
    $('pressure').className = `n level-${pressure}`;
    $('outcomes').textContent = latest.join('\n');
  });
}

outcomes$.subscribe({
  next(o) {
    if (o.ok) counts.sent++;
    else counts.failed++;
    const c = o.value;
    latest.unshift(o.ok ? `${c.sessionId} #${c.seq} ${c.target} -> ${o.shardId} after ${o.attempts} attempt(s)` : `${c.sessionId} #${c.seq} failed: ${o.error.code}: ${o.error.message}`);
    latest.length = Math.min(latest.length, 12);
    render();
  },
  error(e) {
    $('status').textContent = `stopped: ${(e as Error).message}`;
  },
});

signals$.subscribe((s) => {
  if (s.type === 'batchSent') counts.batches++;
  else if (s.type === 'retryScheduled') counts.retried += s.count;
  else if (s.type === 'throttled') counts[s.source === 'local' ? 'throttled-local' : 'throttled-service'] += s.count;
  else if (s.type === 'dropped') counts.dropped += s.count;
  else if (s.type === 'expired') counts.expired += s.count;
  render();
});

const RANK: Record<PressureLevel, number> = { ok: 0, high: 1, full: 2 };
/** The level now, and the worst since the last snapshot: pressure$ emits on changes only. */
let level: PressureLevel = 'ok';
let worst: PressureLevel = 'ok';

pressure$.subscribe((p) => {
  if (pressure !== '-') counts['pressure-changes']++;
  pressure = level = p.level;
  if (RANK[level] > RANK[worst]) worst = level;
  counts.held = p.bufferedRecords;
  render();
});

// The live chart: a snapshot every metricsIntervalMs, with the worst pressure of its interval.
const chart = createMetricsChart(document.querySelector<SVGSVGElement>('#chart')!);
metrics$.subscribe((s) => {
  chart.add(s, worst);
  worst = level;
});

// Clicks on the page count; clicks on the controls do not.
document.addEventListener('click', (e) => {
  if (!(e.target instanceof Element) || !e.target.closest('#controls')) counts.clicks++;
  render();
});
$('controls').addEventListener('click', (e) => e.stopPropagation());

const products = $('products');
for (let i = 1; i <= 8; i++) {
  const button = document.createElement('button');
  button.id = `product-${i}`;
  button.textContent = `Product ${i}`;
  products.append(button);
}

/** Clicks of `visitors` simulated visitors, each numbered in order, spread over the product buttons. */
function* simulatedClicks(total: number, visitors: number): Generator<Click> {
  const seqs = new Array<number>(visitors).fill(0);
  for (let i = 0; i < total; i++) {
    const v = Math.floor(Math.random() * visitors);
    yield { sessionId: `visitor-${v}`, seq: seqs[v]++, target: `button#product-${1 + (i % 8)}`, x: 0, y: 0, at: Date.now() };
  }
}

// Simulated clicks are pulled only while the producer's pressure is 'ok', so none is dropped.
$('simulate').addEventListener('click', () => {
  const total = Number(($('simulate-count') as HTMLInputElement).value);
  const visitors = Number(($('simulate-visitors') as HTMLInputElement).value);
  $('status').textContent = 'simulating';
  pullFrom(simulatedClicks(total, visitors), { pressure$ }).subscribe({
    next(click) {
      counts.clicks++;
      simulated$.next(click);
    },
    complete: () => ($('status').textContent = `simulated ${total} clicks`),
  });
});

$('stream').textContent = streamName;
$('endpoint').textContent = endpoint;
$('session').textContent = sessionId;
render();
