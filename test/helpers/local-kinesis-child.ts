/**
 * Child process of `startLocalKinesisProcess`: the local Kinesis on 127.0.0.1, from the sources or from
 * the built package (`built` after the options), driven by its parent over the IPC channel:
 * `{ id, op, args }` in, `{ id, result }` or `{ id, error }` out.
 */
type Testing = typeof import('../../src/testing/index.js');

const options = JSON.parse(process.argv[2] ?? '{}');
const testing: Testing = process.argv[3] === 'built' ? await import(new URL('../../dist/testing.mjs', import.meta.url).href) : await import('../../src/testing/index.js');
const local = await testing.startLocalKinesis(options);
const send = (message: object) => process.send!(message);
const ops: Record<string, (...args: never[]) => unknown> = {
  createStream: (name: string, shards: number) => local.createStream(name, shards),
  stats: () => local.stats(),
  setFaults: (faults: object) => local.setFaults(faults),
  drainBudget: (streamName: string) => local.drainBudget(streamName),
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
