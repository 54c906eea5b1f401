import type http from 'node:http';
import { ACCOUNT_ID } from './constants.js';
import { importOptionalPeer, installCommand } from '../optional-peer.js';

/** kinesalite's own timers (ms) and its account-wide shard limit; zero delays keep tests fast. */
const KINESALITE_OPTIONS = { createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 };

/** kinesalite is loaded when a local Kinesis starts, so projects without it can import `rxjs-kinesis/testing`. */
const loadKinesalite = () => importOptionalPeer('kinesalite', async () => (await import('kinesalite')).default, 'The local Kinesis', installCommand('kinesalite', true));

/**
 * Starts kinesalite (not yet listening). It reads the account and region it names in ARNs and messages from the
 * environment once, when created; set them for that moment so its answers agree with ours.
 */
export async function createBackend(region: string): Promise<http.Server> {
  const kinesalite = await loadKinesalite();
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

/** kinesalite's close() shuts its store first, then waits for idle connections, which we end ourselves. */
export function closeBackend(backend: http.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    backend.close((error?: Error) => (error ? reject(error) : resolve()));
    backend.closeAllConnections();
  });
}
