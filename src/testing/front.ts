import { sendError, sendJson } from './answer.js';
import { AMZ_JSON, MiB, TARGET_PREFIX } from './constants.js';
import { answerPreflight, applyCors, type CorsPolicy } from './cors.js';
import type { Exchange } from './exchange.js';
import type { ScriptedErrors } from './fail-next.js';
import { isLoopbackHost, notLoopbackMessage } from './loopback.js';
import type { Outages } from './outage.js';
import type { PutHandler } from './put-records.js';
import { applyRequestFaults, type RequestFaultDeps } from './request-faults.js';
import { parseObject, readBody, streamNameOf } from './request-body.js';
import type { ShardMaps } from './shard-map.js';
import { waitActive } from './streams.js';
import { updateShardCount } from './update-shard-count.js';
import type { Upstream } from './upstream.js';

export interface FrontDeps extends RequestFaultDeps {
  upstream: Upstream;
  maps: ShardMaps;
  handlePut: PutHandler;
  maxRequestBytes: number;
  cors: CorsPolicy;
  scripted: ScriptedErrors;
  outages: Outages;
}

/** Operations after which a stream's shard map changes (kinesalite finishes them on a timer). */
const RESHARDING = new Set(['SplitShard', 'MergeShards', 'CreateStream', 'DeleteStream']);

/** Largest body read at all: base64 grows data by 4/3, plus room for 500 keys and JSON; kinesalite's limit is 7 MiB. */
const bodyLimit = (maxRequestBytes: number) => Math.ceil((maxRequestBytes * 4) / 3) + 2 * MiB;

/**
 * The front, for requests on either protocol: our own PutRecords, PutRecord and UpdateShardCount; everything
 * else passed on to kinesalite. Outages, the loopback and CORS checks, `failNext` errors and request faults
 * come first, in that order.
 */
export function createFront(deps: FrontDeps): (exchange: Exchange) => void {
  const { upstream, maps, stats, handlePut, cors, scripted, outages } = deps;
  const limit = bodyLimit(deps.maxRequestBytes);

  async function handle(exchange: Exchange): Promise<void> {
    if (outages.meet(exchange)) return;
    if (!isLoopbackHost(exchange.authority)) return sendError(exchange, { status: 403, type: 'AccessDeniedException', message: notLoopbackMessage(exchange.authority) });
    if (!applyCors(exchange, cors)) return;
    const { req, res } = exchange;
    if (req.method === 'OPTIONS') {
      stats.request('OPTIONS', 0);
      return answerPreflight(exchange);
    }
    const { body, size } = await readBody(req, limit);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target || 'unknown';
    stats.request(operation, size);
    if (!body) {
      res.writeHead(413, exchange.protocol === 'http/1.1' ? { connection: 'close' } : {});
      return void res.end();
    }
    const scriptedError = scripted.take(operation);
    if (scriptedError) {
      stats.fault('failNext');
      return sendError(exchange, scriptedError);
    }
    const json = String(req.headers['content-type'] ?? '').startsWith(AMZ_JSON);
    // Other encodings (CBOR from some SDKs) go to kinesalite untouched, without limits.
    if (json && (operation === 'PutRecords' || operation === 'PutRecord')) return handlePut(exchange, body, operation === 'PutRecords');
    const input = json ? parseObject(body) : undefined;
    const streamName = streamNameOf(input);
    if (await applyRequestFaults(deps, exchange, operation, streamName)) return;
    if (operation === 'UpdateShardCount' && input) return answerUpdateShardCount(exchange, input);
    // kinesalite knows streams by name only; fill the name in for callers that send an ARN.
    const forwarded = input && streamName && input.StreamName === undefined ? Buffer.from(JSON.stringify({ ...input, StreamName: streamName })) : body;
    if (streamName && RESHARDING.has(operation)) {
      maps.invalidate(streamName);
      res.on('finish', () => {
        if (res.statusCode === 200) waitActive(upstream, streamName).then(() => maps.invalidate(streamName), () => maps.invalidate(streamName));
      });
    }
    upstream.proxy(exchange, forwarded);
  }

  async function answerUpdateShardCount(exchange: Exchange, input: Record<string, unknown>): Promise<void> {
    const streamName = streamNameOf(input);
    const fresh = (name: string) => {
      maps.invalidate(name);
      return maps.get(name);
    };
    try {
      const result = await updateShardCount(upstream, fresh, input);
      if ('status' in result) sendError(exchange, result);
      else sendJson(exchange, 200, result);
    } finally {
      if (streamName) maps.invalidate(streamName);
    }
  }

  return (exchange) => {
    handle(exchange).catch((error: unknown) => {
      if (exchange.res.headersSent) return exchange.reset();
      try {
        sendError(exchange, { status: 500, type: 'InternalFailure', message: String((error as Error)?.message ?? error) });
      } catch {
        // The client went away (an aborted body, a reset stream): nobody is left to answer.
        exchange.reset();
      }
    });
  };
}
