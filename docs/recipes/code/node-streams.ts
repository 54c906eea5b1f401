import { KinesisClient } from '@aws-sdk/client-kinesis';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createProducer, toWritable } from 'rxjs-kinesis';

export async function main({ client = new KinesisClient({}), streamName = 'access-logs', file = 'access.log' } = {}) {
  // Writes wait while the producer holds 80% of maxBufferedRecords: that bounds what is in memory.
  const producer = createProducer({ client, streamName, aggregation: {}, maxBufferedRecords: 1000 });
  // An access log line starts with the client's address: many distinct keys, so the shards share the load.
  const sink = toWritable(producer, (line: string) => ({ partitionKey: line.slice(0, line.indexOf(' ')) || 'empty-line', data: line }));
  sink.on('outcome', (o) => o.ok || console.warn(`not sent: ${o.error.code}: ${o.error.message}`));

  // readline pauses the file while its lines wait; pipeline resolves once every line has its outcome and
  // rejects if the stream cannot be written at all.
  await pipeline(createInterface({ input: createReadStream(file), crlfDelay: Infinity }), sink);
  await producer.close();

  console.log(`sent ${sink.sent} lines, ${sink.failed} failed`);
  return { sent: sink.sent, failed: sink.failed };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main({ file: process.argv[2] });
