/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and lists where the time went: self time per
 * function, and total (self + callees) time per function, in percent of the samples.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ROOT } from './common.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

export interface Frame {
  name: string;
  where: string;
  selfPercent: number;
  totalPercent: number;
}

const IDLE = new Set(['(idle)', '(program)', '(garbage collector)']);

export function summarizeProfile(file: string, top = 25): { frames: Frame[]; bySelf: Frame[]; byTotal: Frame[]; gcPercent: number; idlePercent: number } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[] };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const total = profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0);
  const keyOf = (n: ProfileNode) => {
    const url = n.callFrame.url.startsWith('file://') ? relative(ROOT, new URL(n.callFrame.url).pathname) : n.callFrame.url;
    return `${n.callFrame.functionName || '(anonymous)'}\u0000${url}:${n.callFrame.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let gc = 0;
  let idle = 0;
  for (const n of profile.nodes) {
    const hits = n.hitCount ?? 0;
    if (hits === 0) continue;
    if (n.callFrame.functionName === '(garbage collector)') gc += hits;
    if (n.callFrame.functionName === '(idle)') idle += hits;
    const k = keyOf(n);
    self.set(k, (self.get(k) ?? 0) + hits);
    // Each function counted once per stack, however often it recurses.
    const seen = new Set<string>();
    for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id)!;
      if (node.callFrame.functionName === '(root)') break;
      const key = keyOf(node);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + hits);
    }
  }
  const pct = (x: number) => Math.round((x / total) * 1000) / 10;
  const frames = [...new Set([...self.keys(), ...inclusive.keys()])].map((k) => {
    const [name, where] = k.split('\u0000');
    return { name, where, selfPercent: pct(self.get(k) ?? 0), totalPercent: pct(inclusive.get(k) ?? 0) };
  });
  const bySelf = [...frames].filter((f) => !IDLE.has(f.name)).sort((a, b) => b.selfPercent - a.selfPercent).slice(0, top);
  const byTotal = [...frames].filter((f) => !IDLE.has(f.name)).sort((a, b) => b.totalPercent - a.totalPercent).slice(0, top);
  return { frames, bySelf, byTotal, gcPercent: pct(gc), idlePercent: pct(idle) };
}
