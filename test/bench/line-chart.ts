/**
 * A small SVG line chart over time, written by hand like `peers/svg.ts`: stacked panels sharing the
 * time axis, each with its lines, optional dots, and dashed horizontal thresholds; vertical markers
 * (an event during the run) cross every panel.
 */

export interface Series {
  label: string;
  /** [seconds, value] */
  points: [number, number][];
  color: string;
  /** Draw each point as a dot instead of joining them: values known only at some moments. */
  dots?: boolean;
}

export interface LinePanel {
  title: string;
  format: (n: number) => string;
  series: Series[];
  thresholds?: { value: number; label: string }[];
}

export interface Marker {
  x: number;
  label: string;
}

const WIDTH = 820;
const LEFT = 70;
const RIGHT = 20;
const PLOT_H = 170;
const TITLE_H = 28;
const LEGEND_H = 20;
const AXIS_H = 22;
const PANEL_GAP = 14;
const TICKS = 5;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const n1 = (x: number) => Math.round(x * 10) / 10;

/** A round step that cuts `top` into about `TICKS` parts. */
function step(top: number): number {
  const raw = top / TICKS;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
}

function panel(p: LinePanel, top: number, xMax: number, markers: Marker[]): { svg: string; height: number } {
  const values = [...p.series.flatMap((s) => s.points.map(([, v]) => v)), ...(p.thresholds ?? []).map((t) => t.value)];
  const yStep = step(Math.max(...values, 1) * 1.05);
  const yMax = Math.ceil((Math.max(...values, 1) * 1.05) / yStep) * yStep;
  const plotTop = top + TITLE_H + LEGEND_H;
  const x = (t: number) => n1(LEFT + (t / xMax) * (WIDTH - LEFT - RIGHT));
  const y = (v: number) => n1(plotTop + PLOT_H - (v / yMax) * PLOT_H);
  const parts = [`<text x="10" y="${top + 18}" class="title">${esc(p.title)}</text>`];
  p.series.forEach((s, i) => {
    const lx = LEFT + i * 200;
    parts.push(`<rect x="${lx}" y="${top + TITLE_H}" width="12" height="4" fill="${s.color}"/>`);
    parts.push(`<text x="${lx + 16}" y="${top + TITLE_H + 6}" class="label">${esc(s.label)}</text>`);
  });
  for (let v = 0; v <= yMax; v += yStep) {
    parts.push(`<line x1="${LEFT}" y1="${y(v)}" x2="${WIDTH - RIGHT}" y2="${y(v)}" class="grid"/>`);
    parts.push(`<text x="${LEFT - 6}" y="${y(v) + 4}" class="label" text-anchor="end">${esc(p.format(v))}</text>`);
  }
  for (const t of p.thresholds ?? []) {
    parts.push(`<line x1="${LEFT}" y1="${y(t.value)}" x2="${WIDTH - RIGHT}" y2="${y(t.value)}" class="threshold"/>`);
    parts.push(`<text x="${WIDTH - RIGHT - 4}" y="${y(t.value) - 4}" class="note" text-anchor="end">${esc(t.label)}</text>`);
  }
  for (const m of markers) parts.push(`<line x1="${x(m.x)}" y1="${plotTop}" x2="${x(m.x)}" y2="${plotTop + PLOT_H}" class="marker"/>`);
  for (const s of p.series) {
    if (s.dots) for (const [t, v] of s.points) parts.push(`<circle cx="${x(t)}" cy="${y(v)}" r="3" fill="${s.color}"/>`);
    else parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${s.points.map(([t, v]) => `${x(t)},${y(v)}`).join(' ')}"/>`);
  }
  return { svg: parts.join('\n'), height: TITLE_H + LEGEND_H + PLOT_H };
}

export function lineChart(title: string, subtitle: string, panels: LinePanel[], markers: Marker[] = []): string {
  const xMax = Math.max(...panels.flatMap((p) => p.series.flatMap((s) => s.points.map(([t]) => t))), 1);
  const body: string[] = [];
  let y = 50;
  for (const p of panels) {
    const { svg, height } = panel(p, y, xMax, markers);
    body.push(svg);
    y += height + PANEL_GAP;
  }
  const axisY = y - PANEL_GAP + 14;
  const xStep = step(xMax);
  for (let t = 0; t <= xMax; t += xStep) {
    body.push(`<text x="${n1(LEFT + (t / xMax) * (WIDTH - LEFT - RIGHT))}" y="${axisY}" class="label" text-anchor="middle">${t} s</text>`);
  }
  for (const m of markers) body.push(`<text x="${n1(LEFT + (m.x / xMax) * (WIDTH - LEFT - RIGHT)) + 4}" y="${60}" class="marker-label">${esc(m.label)}</text>`);
  const height = axisY + AXIS_H;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">
<style>
.title { font-size: 14px; font-weight: 600; fill: #1f2328; }
.label { font-size: 11px; fill: #1f2328; }
.note { font-size: 11px; fill: #b42318; }
.marker-label { font-size: 11px; fill: #57606a; }
.grid { stroke: #eaeef2; stroke-width: 1; }
.threshold { stroke: #b42318; stroke-width: 1.2; stroke-dasharray: 4 3; }
.marker { stroke: #57606a; stroke-width: 1; stroke-dasharray: 2 3; }
</style>
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="10" y="22" font-size="16" font-weight="700" fill="#1f2328">${esc(title)}</text>
<text x="10" y="40" font-size="11" fill="#57606a">${esc(subtitle)}</text>
${body.join('\n')}
</svg>
`;
}
