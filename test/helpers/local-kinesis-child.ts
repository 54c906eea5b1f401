/**
 * Child process of `startLocalKinesisProcess`: the local Kinesis (from the sources) on 127.0.0.1, driven
 * by its parent over the IPC channel: `{ id, op, args }` in, `{ id, result }` or `{ id, error }` out.
 */
import { startLocalKinesis, type LocalKinesisOptions } from '../../src/testing/index.js';

const send = (message: object) => process.send!(message);

const options = JSON.parse(process.argv[2] ?? '{}') as LocalKinesisOptions;
const local = await startLocalKinesis(options);
const ops: Record<string, (...args: never[]) => unknown> = {
  createStream: (name: string, shards: number) => local.createStream(name, shards),
  stats: () => local.stats(),
  stop: async () => {
    await local.stop();
    setImmediate(() => process.exit(0));
  },
};
process.on('message', async (m: { id: number; op: string; args: never[] }) => {
  try {
    send({ id: m.id, result: (await ops[m.op](...m.args)) ?? null });
  } catch (error) {
    send({ id: m.id, error: String((error as Error)?.stack ?? error) });
  }
});
// The parent going away ends this process too.
process.on('disconnect', () => process.exit(0));
send({ ready: true, endpoint: local.endpoint, region: local.region, credentials: local.credentials });
