import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

const FILLER = 'the quick brown fox jumps over the lazy dog 0123456789 '.repeat(8);

/** Line `id` of the test file: `<id> device-<id % 1000> <filler>`, 50 to 150 characters, ASCII. */
export function lineOf(id: number): string {
  const head = `${id} device-${id % 1000} `;
  const length = 50 + ((id * 2_654_435_761) >>> 0) % 101;
  return head + FILLER.slice(0, Math.max(1, length - head.length));
}

/** Writes `count` lines to `path`, waiting for the stream to drain so the writer stays small. */
export async function writeLines(path: string, count: number): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  let chunk = '';
  for (let id = 0; id < count; id++) {
    chunk += `${lineOf(id)}\n`;
    if (chunk.length >= 1 << 16 || id === count - 1) {
      bytes += chunk.length;
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}
