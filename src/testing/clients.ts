import { KinesisClient, type KinesisClientConfig } from '@aws-sdk/client-kinesis';
import { importOptionalPeer, installCommand } from '../optional-peer.js';

export interface ClientFactory {
  client(overrides?: Partial<KinesisClientConfig>): KinesisClient;
  /** Destroys every client handed out. */
  destroyAll(): void;
}

type HandlerClass = typeof import('@smithy/node-http-handler').NodeHttpHandler;

/**
 * Clients on HTTP/1.1 keep-alive (`NodeHttpHandler`): a request costs about half what it does on the SDK's default
 * HTTP/2 handler, which opens a session per request, and load tests and their figures were made with it. The
 * handler's package is an optional peer dependency: loaded here, and asked for only if a client needs it.
 */
export async function createClientFactory(defaults: Pick<KinesisClientConfig, 'endpoint' | 'region' | 'credentials'>): Promise<ClientFactory> {
  const handler: HandlerClass | Error = await importOptionalPeer(
    '@smithy/node-http-handler',
    async () => (await import('@smithy/node-http-handler')).NodeHttpHandler,
    'kinesis.client()',
    installCommand('@smithy/node-http-handler', true),
  ).catch((error: Error) => error);
  const clients = new Set<KinesisClient>();
  return {
    client(overrides = {}) {
      if (handler instanceof Error && !('requestHandler' in overrides)) throw handler;
      const requestHandler = handler instanceof Error ? undefined : new handler();
      const client = new KinesisClient({ ...defaults, requestHandler, ...overrides });
      clients.add(client);
      return client;
    },
    destroyAll() {
      for (const client of clients) client.destroy();
    },
  };
}
