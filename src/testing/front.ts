import http from 'node:http';
import type { Socket } from 'node:net';
import { addCorsHeaders, answerPreflight, sendError, sendJson } from './answer.js';
import { AMZ_JSON, MiB, TARGET_PREFIX } from './constants.js';
import type { ShardMaps } from './shardMap.js';
import type { StatsRecorder } from './stats.js';
import { waitActive } from './streams.js';
import { updateShardCount } from './updateShardCount.js';
import type { Upstream } from './upstream.js';
import { streamNameOfArn } from './validate.js';

type PutHandler = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, batch: boolean) => Promise<void>;

export interface FrontDeps {
  upstream: Upstream;
  maps: ShardMaps;
  stats: StatsRecorder;
  handlePut: PutHandler;
  maxRequestBytes: number;
}

export interface Front {
  server: http.Server;
  /** Stops accepting and destroys every connection, hung requests included. */
  close(): Promise<void>;
}

/** Operations after which a stream's shard map changes (kinesalite finishes them on a timer). */
const RESHARDING = new Set(['SplitShard', 'MergeShards', 'CreateStream', 'DeleteStream']);

/** Largest body read at all: base64 grows data by 4/3, plus room for 500 keys and JSON; kinesalite's limit is 7 MiB. */
const bodyLimit = (maxRequestBytes: number) => Math.ceil((maxRequestBytes * 4) / 3) + 2 * MiB;

/** The HTTP front: our own PutRecords, PutRecord and UpdateShardCount; everything else proxied to kinesalite. */
export function createFront(deps: FrontDeps): Front {
  const { upstream, maps, stats, handlePut } = deps;
  const sockets = new Set<Socket>();
  const limit = bodyLimit(deps.maxRequestBytes);

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      sendError(res, { status: 500, type: 'InternalFailure', message: String((error as Error)?.message ?? error) });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    addCorsHeaders(req, res);
    if (req.method === 'OPTIONS') {
      stats.request('OPTIONS', 0);
      return answerPreflight(req, res);
    }
    const { body, size } = await readBody(req, limit);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target || 'unknown';
    stats.request(operation, size);
    if (!body) {
      res.writeHead(413, { connection: 'close' });
      return void res.end();
    }
    const json = String(req.headers['content-type'] ?? '').startsWith(AMZ_JSON);
    // Other encodings (CBOR from some SDKs) go to kinesalite untouched, without limits or faults.
    if (json && (operation === 'PutRecords' || operation === 'PutRecord')) return handlePut(req, res, body, operation === 'PutRecords');
    const input = json ? parseObject(body) : undefined;
    if (operation === 'UpdateShardCount' && input) return answerUpdateShardCount(res, input);
    const streamName = streamNameOf(input);
    // kinesalite knows streams by name only; fill the name in for callers that send an ARN.
    const forwarded = input && streamName && input.StreamName === undefined ? Buffer.from(JSON.stringify({ ...input, StreamName: streamName })) : body;
    if (streamName && RESHARDING.has(operation)) {
      maps.invalidate(streamName);
      res.on('finish', () => {
        if (res.statusCode === 200) waitActive(upstream, streamName).then(() => maps.invalidate(streamName), () => maps.invalidate(streamName));
      });
    }
    upstream.proxy(req, forwarded, res);
  }

  async function answerUpdateShardCount(res: http.ServerResponse, input: Record<string, unknown>): Promise<void> {
    const streamName = streamNameOf(input);
    const fresh = (name: string) => {
      maps.invalidate(name);
      return maps.get(name);
    };
    try {
      const result = await updateShardCount(upstream, fresh, input);
      if ('status' in result) sendError(res, result);
      else sendJson(res, 200, result);
    } finally {
      if (streamName) maps.invalidate(streamName);
    }
  }

  return {
    server,
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}

/** Buffers the body; `body` is undefined when it exceeds `limit` bytes (the rest is drained and counted). */
function readBody(req: http.IncomingMessage, limit: number): Promise<{ body?: Buffer; size: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve({ body: size <= limit ? Buffer.concat(chunks, size) : undefined, size }));
    req.on('error', reject);
    req.on('close', () => req.complete || reject(new Error('request aborted by the client')));
  });
}

function parseObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function streamNameOf(input: Record<string, unknown> | undefined): string | undefined {
  if (!input) return undefined;
  return typeof input.StreamName === 'string' ? input.StreamName : streamNameOfArn(input.StreamARN);
}
