/**
 * A live chart of the producer's `metrics$` in plain SVG: records put per second, records Kinesis refused
 * for throughput per second, and values pending, shaded where `pressure$` was not 'ok'. One point per
 * snapshot, the last `windowSize` of them.
 */
import type { MetricsSnapshot, PressureLevel } from 'rxjs-kinesis';

/** One snapshot, as the chart draws it. */
interface Point {
  put: number;
  throttled: number;
  pending: number;
  /** The worst level of `pressure$` in the interval. */
  level: PressureLevel;
}

const NS = 'http://www.w3.org/2000/svg';
const WIDTH = 600;
const ROW = 64;
const GAP = 14;
const TOP = 16;

const SERIES = [
  { key: 'put', label: 'records put/s', color: '#3451b2' },
  { key: 'throttled', label: 'refused by Kinesis (throttled)/s', color: '#c0392b' },
  { key: 'pending', label: "values pending, shaded where pressure$ was not 'ok'", color: '#b35900' },
] as const;

function element<K extends keyof SVGElementTagNameMap>(name: K, attributes: Record<string, string | number>, parent: Element): SVGElementTagNameMap[K] {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, String(v));
  parent.append(e);
  return e;
}

export function createMetricsChart(svg: SVGSVGElement, windowSize = 60) {
  const points: Point[] = [];
  const totals = { snapshots: 0, put: 0, throttled: 0, maxPutRate: 0, notOk: 0 };
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${SERIES.length * (ROW + GAP)}`);
  const rows = SERIES.map((series, i) => {
    const g = element('g', { transform: `translate(0 ${i * (ROW + GAP)})`, 'data-series': series.key }, svg);
    const bands = element('g', {}, g);
    element('line', { x1: 0, x2: WIDTH, y1: ROW, y2: ROW, stroke: '#ccc' }, g);
    const line = element('polyline', { fill: 'none', stroke: series.color, 'stroke-width': 2, points: '' }, g);
    const caption = element('text', { x: 4, y: 11 }, g);
    return { ...series, bands, line, caption };
  });

  const x = (i: number) => (i * WIDTH) / Math.max(1, windowSize - 1);

  function draw(): void {
    for (const row of rows) {
      const values = points.map((p) => p[row.key]);
      const max = Math.max(1, ...values);
      const y = (v: number) => TOP + (ROW - TOP) * (1 - v / max);
      row.line.setAttribute('points', values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' '));
      row.caption.textContent = `${row.label}: ${values.at(-1) ?? 0} (max ${max})`;
    }
    const pending = rows[2].bands;
    pending.replaceChildren();
    points.forEach((p, i) => {
      if (p.level === 'ok') return;
      const fill = p.level === 'full' ? '#f5c6c0' : '#fde2c4';
      element('rect', { x: x(i) - WIDTH / windowSize / 2, y: TOP, width: WIDTH / windowSize, height: ROW - TOP, fill, 'data-level': p.level }, pending);
    });
    // What the chart took in, for the page's test.
    Object.assign(svg.dataset, {
      snapshots: String(totals.snapshots),
      points: String(points.length),
      putTotal: String(totals.put),
      throttledTotal: String(totals.throttled),
      maxPutRate: String(totals.maxPutRate),
      notOkIntervals: String(totals.notOk),
    });
  }

  return {
    /** Adds a snapshot, with the worst level `pressure$` reached in its interval, and redraws. */
    add(s: MetricsSnapshot, level: PressureLevel): void {
      const m = s.stream;
      const perSecond = (n: number) => Math.round((n * 1000) / Math.max(1, s.intervalMs));
      const throttled = m.ErrorsByCode.ProvisionedThroughputExceededException ?? 0;
      points.push({ put: perSecond(m.UserRecordsPut), throttled: perSecond(throttled), pending: m.UserRecordsPending ?? 0, level });
      if (points.length > windowSize) points.shift();
      totals.snapshots++;
      totals.put += m.UserRecordsPut;
      totals.throttled += throttled;
      totals.maxPutRate = Math.max(totals.maxPutRate, points.at(-1)!.put);
      if (level !== 'ok') totals.notOk++;
      draw();
    },
  };
}
