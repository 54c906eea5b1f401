/**
 * Draws the producer's pipeline as an SVG from the stages' real names: the operators exported from
 * src/index.ts and the send path's files in src/send/. `npx tsx docs/scripts/pipeline-diagram.ts`
 * writes docs/concepts/pipeline.svg; test/docs/pipeline.test.ts checks the file is up to date.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { aggregateRecords, collectBatches, encodeRecords, putBatches, routeToShards } from '../../src/index.js';

export interface Stage {
  /** The stage's name in the flow. */
  label: string;
  /** Where it lives: the operator a user composes, and for the send path its file. */
  code: string[];
}

/** The flow, in order: put → encode → route → batch → aggregate → throttle → send → settle → outcome. */
export const STAGES: Stage[] = [
  { label: 'put', code: ['producer.put'] },
  { label: 'encode', code: [encodeRecords.name] },
  { label: 'route', code: [routeToShards.name] },
  { label: 'batch', code: [collectBatches.name] },
  { label: 'aggregate', code: [aggregateRecords.name] },
  { label: 'throttle', code: [putBatches.name, 'send/sender'] },
  { label: 'send', code: [putBatches.name, 'kinesis/put-records'] },
  { label: 'settle', code: [putBatches.name, 'send/settle'] },
  { label: 'outcome', code: ['PutOutcome'] },
];

const BOX_W = 136;
const BOX_H = 64;
const GAP = 26;
const LEFT = 20;
const TOP = 60;
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The diagram: one box per stage, arrows between them, the retry loop from settle back to route, and what holds the values. */
export function pipelineSvg(stages: Stage[] = STAGES): string {
  const x = (i: number) => LEFT + i * (BOX_W + GAP);
  const width = x(stages.length) - GAP + LEFT;
  const boxes = stages.map((s, i) => {
    const cx = x(i) + BOX_W / 2;
    return [
      `<rect x="${x(i)}" y="${TOP}" width="${BOX_W}" height="${BOX_H}" rx="8" class="stage"/>`,
      `<text x="${cx}" y="${TOP + 24}" class="label">${escape(s.label)}</text>`,
      ...s.code.map((line, n) => `<text x="${cx}" y="${TOP + 42 + n * 13}" class="code">${escape(line)}</text>`),
      i < stages.length - 1 ? `<line x1="${x(i) + BOX_W}" y1="${TOP + BOX_H / 2}" x2="${x(i + 1) - 4}" y2="${TOP + BOX_H / 2}" class="flow"/>` : '',
    ].join('\n  ');
  });
  const route = x(stages.findIndex((s) => s.label === 'route')) + BOX_W / 2;
  const settle = x(stages.findIndex((s) => s.label === 'settle')) + BOX_W / 2;
  const loopY = TOP + BOX_H + 34;
  const heldY = loopY + 40;
  const heldRight = x(stages.findIndex((s) => s.label === 'send')) - GAP / 2;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${heldY + 56}" width="${width}" height="${heldY + 56}" role="img" aria-label="The producer's pipeline: ${stages.map((s) => s.label).join(', ')}">
  <style>
    .stage { fill: #eef3fb; stroke: #3b5b92; stroke-width: 1.5; }
    .label { font: 600 15px sans-serif; fill: #1c2b45; text-anchor: middle; }
    .code { font: 10px monospace; fill: #4a5a75; text-anchor: middle; }
    .flow { stroke: #3b5b92; stroke-width: 1.6; marker-end: url(#arrow); }
    .loop { fill: none; stroke: #b5562e; stroke-width: 1.6; stroke-dasharray: 5 4; marker-end: url(#arrow-loop); }
    .note { font: 12px sans-serif; fill: #b5562e; text-anchor: middle; }
    .held { fill: #f6f6f2; stroke: #8a8a7a; stroke-width: 1; stroke-dasharray: 3 3; }
    .heldText { font: 12px sans-serif; fill: #4d4d40; text-anchor: middle; }
    .title { font: 600 14px sans-serif; fill: #1c2b45; }
  </style>
  <defs>
    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#3b5b92"/></marker>
    <marker id="arrow-loop" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#b5562e"/></marker>
  </defs>
  <text x="${LEFT}" y="30" class="title">One path for every value: the same stages the operators give you, wired once per producer</text>
  ${boxes.join('\n  ')}
  <path d="M${settle},${TOP + BOX_H} L${settle},${loopY} L${route},${loopY} L${route},${TOP + BOX_H + 4}" class="loop"/>
  <text x="${(route + settle) / 2}" y="${loopY - 6}" class="note">failed entries: classified, backoff with full jitter, routed again (the map may have changed), until recordTtlMs</text>
  <rect x="${LEFT}" y="${heldY}" width="${heldRight - LEFT}" height="40" rx="6" class="held"/>
  <text x="${(LEFT + heldRight) / 2}" y="${heldY + 24}" class="heldText">holdings: every value from put to its outcome, counted (memory ceilings), timed per shard (expected wait), overflow decided on arrival</text>
</svg>
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL('../concepts/pipeline.svg', import.meta.url), pipelineSvg());
  console.log('docs/concepts/pipeline.svg written');
}
