/**
 * A small SVG bar chart, written by hand (no chart library): stacked panels, one horizontal bar per
 * row with its median, a whisker from min to max over the repetitions, and an optional target line.
 */

export interface Row {
  label: string;
  value: number;
  min?: number;
  max?: number;
  /** Drawn in the accent colour: our library. */
  ours?: boolean;
}

export interface Panel {
  title: string;
  format: (n: number) => string;
  rows: Row[];
  target?: { value: number; label: string };
}

const WIDTH = 820;
const LABEL_W = 200;
const VALUE_W = 150;
const BAR_H = 16;
const ROW_H = 22;
const TITLE_H = 30;
const PANEL_GAP = 18;
const PLOT_W = WIDTH - LABEL_W - VALUE_W - 20;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const n1 = (x: number) => Math.round(x * 10) / 10;

function panel(p: Panel, top: number): { svg: string; height: number } {
  const finite = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : 0);
  const top_ = Math.max(...p.rows.map((r) => Math.max(finite(r.value), finite(r.max))), p.target?.value ?? 0) * 1.05 || 1;
  const x = (v: number) => LABEL_W + (Math.max(0, v) / top_) * PLOT_W;
  const parts: string[] = [`<text x="10" y="${top + 20}" class="title">${esc(p.title)}</text>`];
  p.rows.forEach((r, i) => {
    const y = top + TITLE_H + i * ROW_H;
    const fill = r.ours ? '#2f6fdf' : '#9aa3ad';
    parts.push(`<text x="${LABEL_W - 8}" y="${y + BAR_H - 3}" class="label" text-anchor="end">${esc(r.label)}</text>`);
    if (Number.isFinite(r.value)) {
      parts.push(`<rect x="${LABEL_W}" y="${y}" width="${n1(x(r.value) - LABEL_W)}" height="${BAR_H}" fill="${fill}"/>`);
      if (r.min !== undefined && r.max !== undefined && Number.isFinite(r.min) && Number.isFinite(r.max) && r.max > r.min) {
        const mid = y + BAR_H / 2;
        parts.push(
          `<path d="M${n1(x(r.min))} ${mid}H${n1(x(r.max))}M${n1(x(r.min))} ${mid - 4}V${mid + 4}M${n1(x(r.max))} ${mid - 4}V${mid + 4}" class="whisker"/>`,
        );
      }
      parts.push(`<text x="${WIDTH - VALUE_W}" y="${y + BAR_H - 3}" class="value">${esc(p.format(r.value))}</text>`);
    } else parts.push(`<text x="${LABEL_W + 4}" y="${y + BAR_H - 3}" class="value">not measured</text>`);
  });
  const rowsBottom = top + TITLE_H + p.rows.length * ROW_H;
  let height = TITLE_H + p.rows.length * ROW_H;
  if (p.target !== undefined) {
    // The line spans the rows; its label sits under them, clear of the title.
    const tx = n1(x(p.target.value));
    parts.push(`<line x1="${tx}" y1="${top + TITLE_H - 4}" x2="${tx}" y2="${rowsBottom}" class="target"/>`);
    parts.push(`<text x="${tx}" y="${rowsBottom + 10}" class="note" text-anchor="middle">${esc(p.target.label)}</text>`);
    height += 14;
  }
  return { svg: parts.join('\n'), height };
}

export function chart(title: string, subtitle: string, panels: Panel[]): string {
  const body: string[] = [];
  let y = 56;
  for (const p of panels) {
    const { svg, height } = panel(p, y);
    body.push(svg);
    y += height + PANEL_GAP;
  }
  const height = y + 24;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">
<style>
.title { font-size: 14px; font-weight: 600; fill: #1f2328; }
.label, .value { font-size: 12px; fill: #1f2328; }
.note { font-size: 11px; fill: #b42318; }
.whisker { stroke: #1f2328; stroke-width: 1.2; fill: none; }
.target { stroke: #b42318; stroke-width: 1.5; stroke-dasharray: 4 3; }
</style>
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="10" y="22" font-size="16" font-weight="700" fill="#1f2328">${esc(title)}</text>
<text x="10" y="40" font-size="11" fill="#57606a">${esc(subtitle)}</text>
${body.join('\n')}
<text x="10" y="${height - 8}" font-size="11" fill="#57606a">Bars: median over the repetitions; whiskers: min to max. Blue: rxjs-kinesis. Dashed red: the target.</text>
</svg>
`;
}
