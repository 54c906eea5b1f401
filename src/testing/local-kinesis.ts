import { closeBackend, createBackend } from './backend.js';
import { createBudgets } from './budget.js';
import { createClientFactory } from './clients.js';
import { DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_REGION, DEFAULT_SEED, LOOPBACK, MAX_RECORD_BYTES_CEILING, MAX_REQUEST_BYTES_CEILING } from './constants.js';
import { createCorsPolicy } from './cors.js';
import { createScriptedErrors } from './fail-next.js';
import { createFaults } from './faults.js';
import { createFront } from './front.js';
import { createListener, listenOn } from './listener.js';
import { createOutages } from './outage.js';
import { createPutHandler } from './put-records.js';
import { createShardMaps } from './shard-map.js';
import { createStats } from './stats.js';
import { fastStore, kinesaliteStore } from './store.js';
import { createStream } from './streams.js';
import type { LocalKinesis, LocalKinesisOptions } from './types.js';
import { createUpstream } from './upstream.js';

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * Starts kinesalite and, in front of it, a Kinesis endpoint that keeps the service's per-shard write budget
 * and size limits and injects faults; both on 127.0.0.1. The front speaks HTTP/2 (cleartext, as the SDK's
 * default client does) and HTTP/1.1 on one port, and answers only requests addressed to a loopback name and
 * pages on loopback origins (plus `corsOrigins`).
 *
 * PutRecords, PutRecord (JSON 1.1, as the JavaScript SDK sends them) and UpdateShardCount are the front's own;
 * every other operation, and CBOR-encoded bodies, go to kinesalite as they are, without limits.
 * Accepted entries are stored in kinesalite in request order, so read-back shows exactly what was accepted
 * (in `fast` mode nothing is stored). kinesalite stores data blobs up to 1 MiB only, so a `maxRecordBytes`
 * above that is useful in `fast` mode alone. kinesalite is an optional peer dependency, loaded here.
 *
 * @example
 * ```ts
 * import { startLocalKinesis } from 'rxjs-kinesis/testing';
 * import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
 *
 * const kinesis = await startLocalKinesis({ faults: { internalFailureRate: 0.05 } });
 * await kinesis.createStream('demo', 2);
 * const out = await kinesis.client().send(new PutRecordsCommand({ StreamName: 'demo', Records: [{ PartitionKey: 'a', Data: new Uint8Array([1]) }] }));
 * console.log(out.FailedRecordCount, kinesis.stats().shards);
 * await kinesis.stop();
 * ```
 */
export async function startLocalKinesis(options: LocalKinesisOptions = {}): Promise<LocalKinesis> {
  const region = options.region ?? DEFAULT_REGION;
  const limits = {
    maxRequestBytes: bounded('maxRequestBytes', options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES, MAX_REQUEST_BYTES_CEILING),
    maxRecordBytes: bounded('maxRecordBytes', options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES, MAX_RECORD_BYTES_CEILING),
  };
  const faults = createFaults(options.faults, options.seed ?? DEFAULT_SEED);
  const cors = createCorsPolicy(options.corsOrigins);

  const backend = await createBackend(region);
  const upstream = createUpstream(await listenOn(backend, 0));
  const maps = createShardMaps(upstream);
  const stats = createStats();
  const budgets = createBudgets(options.limits ?? true);
  const store = options.fast ? fastStore() : kinesaliteStore(upstream);
  const scripted = createScriptedErrors();
  const handlePut = createPutHandler({ upstream, maps, store, limits, faults, stats, budgets });
  // The front and the outages need each other: the listener asks the outages about each connection.
  const listener = createListener({ exchange: (exchange) => handle(exchange), refuseConnection: () => outages.refuseConnection() });
  const outages = createOutages(listener, stats);
  const handle = createFront({ upstream, maps, stats, faults, handlePut, maxRequestBytes: limits.maxRequestBytes, cors, scripted, outages });
  let port: number;
  try {
    port = await listener.listen(options.port ?? 0);
  } catch (error) {
    upstream.close();
    await closeBackend(backend);
    throw error;
  }

  const endpoint = `http://${LOOPBACK}:${port}`;
  const clients = await createClientFactory({ endpoint, region, credentials: CREDENTIALS });
  let stopping: Promise<void> | undefined;

  return {
    endpoint,
    region,
    credentials: { ...CREDENTIALS },
    client: (overrides) => clients.client(overrides),
    createStream: (name, shardCount) => createStream(upstream, name, shardCount),
    stats({ reset = false } = {}) {
      const snapshot = stats.snapshot();
      if (reset) stats.reset();
      return snapshot;
    },
    resetStats: () => stats.reset(),
    setFaults: (partial) => faults.set(partial),
    setShardCapacity: (shardId, fraction, streamName) => budgets.setCapacity(shardId, fraction, streamName),
    drainBudget: (streamName) => budgets.drain(streamName, performance.now()),
    failNext: (operation, error, times = 1) => scripted.add(operation, error, times),
    outage: (outage) => outages.start(outage),
    endOutage: () => outages.end(),
    stop() {
      stopping ??= (async () => {
        clients.destroyAll();
        outages.dispose();
        await listener.close();
        upstream.close();
        await closeBackend(backend);
      })();
      return stopping;
    },
  };
}

function bounded(name: string, value: number, ceiling: number): number {
  if (!(Number.isInteger(value) && value > 0 && value <= ceiling)) throw new RangeError(`${name} must be an integer in [1, ${ceiling}], got ${value}`);
  return value;
}
