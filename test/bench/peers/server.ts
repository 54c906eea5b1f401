/**
 * Child process: the local Kinesis of the BUILT `rxjs-kinesis/testing`, on 127.0.0.1, in a process of its
 * own so that its work (parsing, budgets, kinesalite) is not charged to the producer under test. The parent
 * drives it over the IPC channel: `{ id, op, args }` in, `{ id, result }` or `{ id, error }` out.
 */
import { loadOursTesting } from './common.js';

type Local = Awaited<ReturnType<Awaited<ReturnType<typeof loadOursTesting>>['startLocalKinesis']>>;

export interface ServerRequest {
  id: number;
  op: 'createStream' | 'stats' | 'setFaults' | 'drainBudget' | 'stop';
  args: unknown[];
}

const send = (message: object) => process.send!(message);

async function main() {
  const { startLocalKinesis } = await loadOursTesting();
  const options = JSON.parse(process.argv[2] ?? '{}');
  const local: Local = await startLocalKinesis(options);
  const ops: Record<ServerRequest['op'], (...args: any[]) => unknown> = {
    createStream: (name: string, shards: number) => local.createStream(name, shards),
    stats: () => local.stats(),
    setFaults: (faults: object) => local.setFaults(faults),
    drainBudget: (streamName: string) => local.drainBudget(streamName),
    stop: async () => {
      await local.stop();
      setImmediate(() => process.exit(0));
    },
  };
  process.on('message', async (m: ServerRequest) => {
    try {
      send({ id: m.id, result: (await ops[m.op](...m.args)) ?? null });
    } catch (error) {
      send({ id: m.id, error: String((error as Error)?.stack ?? error) });
    }
  });
  // The parent going away ends this process too.
  process.on('disconnect', () => process.exit(0));
  send({ ready: true, endpoint: local.endpoint, region: local.region });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
