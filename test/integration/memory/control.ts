/**
 * Child process, the control for the hot-source cases: the same source into a plain ring buffer
 * that holds `maxBufferedBytes` and drops its oldest values, with no producer. Its RSS is what V8
 * alone needs to hold that much of such values under that churn.
 */
import { clientFor, fail, finish, readConfig, askParent, warmUp, type Target } from './child.js';
import { sampleRss, type RssFigures } from './rss.js';
import { hotSource, sizeOf, valueMaker, type HotSourceConfig } from './source.js';

export interface ControlConfig extends Target, HotSourceConfig {
  maxBufferedBytes: number;
  sampleMs: number;
}

export interface ControlResult {
  offered: number;
  dropped: number;
  heldRecordsPeak: number;
  heldBytesPeak: number;
  sourceMs: number;
  rss: RssFigures;
}

async function main(): Promise<void> {
  const c = readConfig<ControlConfig>();
  // The same setup as the producer's cases, so the baselines compare.
  const client = clientFor(c);
  await warmUp(c, client);
  client.destroy();
  const make = valueMaker(c);
  const ring: (Uint8Array | undefined)[] = new Array(1 << 21);
  const mask = ring.length - 1;
  let head = 0;
  let tail = 0;
  let bytes = 0;
  let dropped = 0;
  let heldRecordsPeak = 0;
  let heldBytesPeak = 0;
  await askParent('ready');
  const rss = sampleRss(c.sampleMs);
  rss.markBaseline();
  const started = performance.now();
  await new Promise<void>((resolve, reject) =>
    hotSource(c, make, () => undefined).subscribe({
      next(data) {
        const size = sizeOf(data);
        while (bytes + size > c.maxBufferedBytes) {
          bytes -= sizeOf(ring[tail & mask]!);
          ring[tail++ & mask] = undefined;
          dropped++;
        }
        ring[head++ & mask] = data;
        bytes += size;
        heldRecordsPeak = Math.max(heldRecordsPeak, head - tail);
        heldBytesPeak = Math.max(heldBytesPeak, bytes);
      },
      error: reject,
      complete: resolve,
    }),
  );
  const sourceMs = Math.round(performance.now() - started);
  finish({ offered: head, dropped, heldRecordsPeak, heldBytesPeak, sourceMs, rss: rss.stop() } satisfies ControlResult);
}

main().catch(fail);
