/**
 * What every process of the peer benchmark shares: where things are, how our BUILT package is loaded
 * (never src/: the node build hashes aggregates with node:crypto), and the values every contender sends.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Peers with heavy dependencies (the v2 AWS SDK) live here, outside the library's node_modules. */
export const PEERS_DIR = join(ROOT, '.bench', 'peers');
export const MiB = 1024 * 1024;

export type Ours = typeof import('../../../src/index.js');
export type OursTesting = typeof import('../../../src/testing/index.js');
export type OursKpl = typeof import('../../../src/kpl/index.js');
export type OursKinesis = typeof import('../../../src/kinesis/index.js');

/**
 * The built package by file URL (RXJS_KINESIS_BENCH_DIST names another build, to measure a change): a bare `rxjs-kinesis` could be mapped to src/ by a tsconfig `paths`
 * entry that tsx honours, and the benchmark must measure what users install.
 */
export const loadOurs = (): Promise<Ours> => import(pathToFileURL(process.env.RXJS_KINESIS_BENCH_DIST ?? join(ROOT, 'dist', 'index.node.mjs')).href);
/** The built KPL codec (`rxjs-kinesis/kpl`), Node build. */
export const loadOursKpl = (): Promise<OursKpl> => import(pathToFileURL(join(ROOT, 'dist', 'kpl.node.mjs')).href);
/** The built request layer (`rxjs-kinesis/kinesis`), Node build. */
export const loadOursKinesis = (): Promise<OursKinesis> => import(pathToFileURL(join(ROOT, 'dist', 'kinesis.node.mjs')).href);
export const loadOursTesting = (): Promise<OursTesting> => import(pathToFileURL(join(ROOT, 'dist', 'testing.mjs')).href);

/** `require` that resolves from the peers' folder. */
export const requirePeer = createRequire(join(PEERS_DIR, 'package.json'));

/** Dummy credentials: the SDKs insist on signing, the local Kinesis does not check. */
export const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Where a contender sends: a local Kinesis on 127.0.0.1 run by the parent. */
export interface Target {
  endpoint: string;
  region: string;
  streamName: string;
}

/**
 * One value of the benchmark. Every contender turns it into the same record: partition key
 * `device-<id mod keys>` and data `JSON.stringify(value)`, which is exactly `valueBytes` long.
 */
export interface BenchValue {
  id: number;
  p: string;
}

/** `{"id":` + `,"p":"` + `"}` */
const JSON_FRAME_BYTES = 14;

/**
 * Makes values of exactly `valueBytes` bytes of JSON, and their partition keys (`keys` distinct ones).
 * Values share one padding string unless `distinct`: then each carries its own copy, as values read
 * from a socket or a file would, so that memory held per value is real.
 */
export function valueMaker(valueBytes: number, keys: number, distinct = false) {
  const pads = Array.from({ length: 17 }, (_, digits) => 'x'.repeat(Math.max(0, valueBytes - JSON_FRAME_BYTES - digits)));
  const keyTable = Array.from({ length: keys }, (_, i) => `device-${i}`);
  const padOf = (id: number) => pads[id < 10 ? 1 : Math.floor(Math.log10(id)) + 1];
  const scratch = Buffer.alloc(valueBytes, 'x');
  // A flat string of its own: Buffer#toString copies; slicing or concatenating would share the padding.
  const copy = (pad: string) => scratch.toString('latin1', 0, pad.length);
  return {
    make: distinct ? (id: number): BenchValue => ({ id, p: copy(padOf(id)) }) : (id: number): BenchValue => ({ id, p: padOf(id) }),
    keyOf: (id: number): string => keyTable[id % keys],
  };
}

/** The id of a value from its record's data (a JSON string or its bytes), without parsing the rest. */
export function idOfData(data: string | Uint8Array): number {
  let id = 0;
  if (typeof data === 'string') {
    for (let i = 6; i < data.length; i++) {
      const c = data.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      id = id * 10 + c;
    }
  } else {
    for (let i = 6; i < data.length; i++) {
      const c = data[i] - 48;
      if (c < 0 || c > 9) break;
      id = id * 10 + c;
    }
  }
  return id;
}

export const median = (xs: number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The q-quantile (0..1) by the nearest-rank method. */
export const quantile = (xs: ArrayLike<number>, q: number): number => {
  if (xs.length === 0) return NaN;
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
