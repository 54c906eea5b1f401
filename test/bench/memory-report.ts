/** The tables `npm run bench:memory` prints: each case, where a held value's bytes go, and the RSS bounds. */
import type { PerValueResult } from '../integration/memory/per-value.js';
import type { RetainedProbe } from '../integration/memory/retained.js';
import type { RssFigures } from '../integration/memory/rss.js';

const MiB = 1024 * 1024;
export const mib = (bytes: number) => Math.round((bytes / MiB) * 10) / 10;
/** Highest RSS of a case: the larger of the 50 ms samples and the kernel's peak. */
export const peakRss = (rss: RssFigures) => Math.max(rss.peakBytes, rss.maxRssBytes);

export interface Row {
  case: string;
  offered: number;
  sent: number;
  dropped: number;
  expired: number;
  otherFailed: number;
  heldRecordsPeak: number;
  heldMiBPeak: number;
  baselineRssMiB: number;
  peakRssMiB: number;
  /** Highest RSS above the baseline. */
  peakRssGrowthMiB: number;
  /** Retained (after forced GCs) above the baseline's, at the fullest probe. */
  retainedGrowthMiB?: number;
  newSpaceMiB: string;
  durationS: number;
  note: string;
  [key: string]: unknown;
}

export const rssColumns = (rss: RssFigures) => ({
  baselineRssMiB: mib(rss.baselineBytes),
  peakRssMiB: mib(peakRss(rss)),
  peakRssGrowthMiB: mib(peakRss(rss) - rss.baselineBytes),
  newSpaceMiB: `${mib(rss.newSpaceAtBaselineBytes)} -> ${mib(rss.peakNewSpaceBytes)}`,
  peakHeapUsedMiB: mib(rss.peakHeapUsedBytes),
  peakExternalMiB: mib(rss.peakExternalBytes),
});

export function retainedGrowth(probes: RetainedProbe[]): number | undefined {
  const base = probes.find((p) => p.at === 'baseline');
  const full = probes.filter((p) => p.at !== 'baseline' && p.at !== 'end').sort((a, b) => b.retainedBytes - a.retainedBytes)[0];
  return base && full ? mib(full.retainedBytes - base.retainedBytes) : undefined;
}

const table = (head: string[], rows: unknown[][]) =>
  [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

export function casesTable(rows: Row[]): string {
  const head = ['case', 'offered', 'sent', 'dropped', 'expired', 'other failed', 'held peak (values / MiB)', 'baseline RSS MiB', 'peak RSS MiB', 'peak RSS - baseline MiB', 'retained - baseline MiB (forced GC)', 'V8 young gen MiB', 'duration s', 'note'];
  return table(
    head,
    rows.map((r) => [r.case, r.offered, r.sent, r.dropped, r.expired, r.otherFailed, `${r.heldRecordsPeak} / ${r.heldMiBPeak}`, r.baselineRssMiB, r.peakRssMiB, r.peakRssGrowthMiB, r.retainedGrowthMiB ?? '', r.newSpaceMiB, r.durationS, r.note]),
  );
}

/** The target of the issue: the producer's own bytes per held value, beyond the value and its encoded bytes. */
const PER_VALUE_TARGET = 400;

/** Each layer's bytes per value, as the difference between two measurements of the child. */
export function perValueTable(p: PerValueResult): string {
  const encoded = p.encoded - p.slot;
  const own = p.producer - encoded;
  const record = p.record - p.encoded;
  const fields = p.recordWithFields - p.record;
  const batches = p.inBatches - p.recordWithFields;
  const b = (n: number) => Math.round(n * 10) / 10;
  return table(
    ['what', 'bytes per value', 'measured as'],
    [
      ['a slot in an array', b(p.slot), 'an array of references to the values'],
      ['encoded bytes, `TextEncoder` (each its own ArrayBuffer)', b(encoded), "`utf8Encode('x')` per value, less the slot"],
      ['encoded bytes, `Buffer.from` (pooled, the Node build)', b(p.encodedPooled - p.slot), "`Buffer.from('x')` per value, less the slot"],
      ['the record object (`encodeRecord`)', b(record), 'records with their bytes, less the encoded bytes and the slot'],
      ["the producer's fields (`shardId`, `sink`: a property array)", b(fields), 'the same records after adding them'],
      ['batch arrays of 500 instead of one array', b(batches), 'the same records in batches'],
      ['**the producer holding the value**, all in', b(p.producer), `${p.values} values held against a client that never answers`],
      [`**the producer's own**, beyond the value and its encoded bytes (target <= ${PER_VALUE_TARGET})`, `**${b(own)}** (${Math.round((own / PER_VALUE_TARGET) * 100)}% of the target)`, 'all in, less the encoded bytes'],
      ['of which not in the layers above', b(own - p.slot - record - fields - batches), 'shard queues, the request in flight'],
    ],
  );
}

export interface Bound {
  what: string;
  measured: number;
  bound: number;
  /** How `bound` is made, in words. */
  of: string;
}

export function boundsTable(bounds: Bound[]): string {
  return table(
    ['bound', 'measured MiB', 'bound MiB', 'measured / bound', 'within'],
    bounds.map((x) => [`${x.what} (bound: ${x.of})`, mib(x.measured), mib(x.bound), Math.round((x.measured / x.bound) * 1000) / 1000, x.measured <= x.bound ? 'yes' : '**no**']),
  );
}
