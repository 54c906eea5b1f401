import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KinesisClient, type KinesisClientConfig } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import kinesalite from 'kinesalite';
import { createBudgets } from './budget.js';
import { ACCOUNT_ID, DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_REGION, DEFAULT_SEED, LOOPBACK, MAX_RECORD_BYTES_CEILING, MAX_REQUEST_BYTES_CEILING } from './constants.js';
import { createFaults } from './faults.js';
import { createFront } from './front.js';
import { createPutHandler } from './putRecords.js';
import { createShardMaps } from './shardMap.js';
import { createStats } from './stats.js';
import { fastStore, kinesaliteStore } from './store.js';
import { createStream } from './streams.js';
import type { LocalKinesis, LocalKinesisOptions } from './types.js';
import { createUpstream } from './upstream.js';

/** kinesalite's own timers (ms) and its account-wide shard limit; zero delays keep tests fast. */
const KINESALITE_OPTIONS = { createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 };
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * Starts kinesalite and, in front of it, a Kinesis endpoint that keeps the service's per-shard write budget
 * and size limits and injects faults; both on 127.0.0.1.
 *
 * PutRecords, PutRecord (JSON 1.1, as the JavaScript SDK sends them) and UpdateShardCount are the front's own;
 * every other operation, and CBOR-encoded bodies, go to kinesalite as they are, without limits or faults.
 * Accepted entries are stored in kinesalite in request order, so read-back shows exactly what was accepted
 * (in `fast` mode nothing is stored). kinesalite stores data blobs up to 1 MiB only, so a `maxRecordBytes`
 * above that is useful in `fast` mode alone.
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

  const backend = startBackend(region);
  const upstream = createUpstream(await listen(backend, 0));
  const maps = createShardMaps(upstream);
  const stats = createStats();
  const budgets = createBudgets(options.limits ?? true);
  const store = options.fast ? fastStore() : kinesaliteStore(upstream);
  const handlePut = createPutHandler({ upstream, maps, store, limits, faults, stats, budgets });
  const front = createFront({ upstream, maps, stats, handlePut, maxRequestBytes: limits.maxRequestBytes });
  let port: number;
  try {
    port = await listen(front.server, options.port ?? 0);
  } catch (error) {
    upstream.close();
    await closeBackend(backend);
    throw error;
  }

  const endpoint = `http://${LOOPBACK}:${port}`;
  const clients = new Set<KinesisClient>();
  let stopping: Promise<void> | undefined;

  return {
    endpoint,
    region,
    credentials: { ...CREDENTIALS },
    client(overrides = {}) {
      const config: KinesisClientConfig = { endpoint, region, credentials: CREDENTIALS, requestHandler: new NodeHttpHandler(), ...overrides };
      const client = new KinesisClient(config);
      clients.add(client);
      return client;
    },
    createStream: (name, shardCount) => createStream(upstream, name, shardCount),
    stats({ reset = false } = {}) {
      const snapshot = stats.snapshot();
      if (reset) stats.reset();
      return snapshot;
    },
    resetStats: () => stats.reset(),
    setFaults: (partial) => faults.set(partial),
    setShardCapacity: (shardId, fraction, streamName) => budgets.setCapacity(shardId, fraction, streamName),
    stop() {
      stopping ??= (async () => {
        for (const client of clients) client.destroy();
        await front.close();
        upstream.close();
        await closeBackend(backend);
      })();
      return stopping;
    },
  };
}

/**
 * kinesalite reads the account and region it names in ARNs and messages from the environment once, when created;
 * set them for that moment so its answers agree with ours.
 */
function startBackend(region: string): http.Server {
  const saved = { AWS_ACCOUNT_ID: process.env.AWS_ACCOUNT_ID, AWS_REGION: process.env.AWS_REGION };
  process.env.AWS_ACCOUNT_ID = ACCOUNT_ID;
  process.env.AWS_REGION = region;
  try {
    return kinesalite(KINESALITE_OPTIONS);
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

function bounded(name: string, value: number, ceiling: number): number {
  if (!(Number.isInteger(value) && value > 0 && value <= ceiling)) throw new RangeError(`${name} must be an integer in [1, ${ceiling}], got ${value}`);
  return value;
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** kinesalite's close() shuts its store first, then waits for idle connections, which we end ourselves. */
function closeBackend(backend: http.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    backend.close((error?: Error) => (error ? reject(error) : resolve()));
    backend.closeAllConnections();
  });
}
