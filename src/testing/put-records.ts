import { admit, rateExceededMessage, type AdmitDeps } from './admit.js';
import { send, sendError, sendJson } from './answer.js';
import { ACCOUNT_ID } from './constants.js';
import type { Exchange } from './exchange.js';
import { applyRequestFaults, faultAnswer } from './request-faults.js';
import type { ShardMaps } from './shard-map.js';
import type { EntryStore } from './store.js';
import { UpstreamError, upstreamHeaders, type Upstream } from './upstream.js';
import { parsePut, validatePut, type SizeLimits } from './validate.js';

export interface PutDeps extends AdmitDeps {
  upstream: Upstream;
  maps: ShardMaps;
  store: EntryStore;
  limits: SizeLimits;
}

export type PutHandler = (exchange: Exchange, body: Buffer, batch: boolean) => Promise<void>;

/**
 * PutRecords (`batch`) and PutRecord: validate, draw faults, wait the injected latency, admit each entry against
 * its shard's budget, store the accepted ones, answer with per-entry results in request order.
 */
export function createPutHandler(deps: PutDeps): PutHandler {
  const { upstream, maps, store, limits } = deps;

  return async function handlePut(exchange, body, batch) {
    const request = parsePut(body, batch);
    if (!request) return upstream.proxy(exchange, body);
    const invalid = validatePut(request, limits, batch);
    if (invalid) return sendError(exchange, invalid);

    const operation = batch ? 'PutRecords' : 'PutRecord';
    const { streamName } = request;
    if (await applyRequestFaults(deps, exchange, operation, streamName)) return;

    try {
      const map = await maps.get(streamName);
      if (map.shards.length === 0) {
        // A stream still CREATING has no shards yet; forget the empty map so the next write looks again.
        maps.invalidate(streamName);
        return sendError(exchange, { status: 400, type: 'ResourceNotFoundException', message: `Stream ${streamName} under account ${ACCOUNT_ID} not found.` });
      }
      const admission = admit(deps, map, request.entries, performance.now());
      if (await store.write(request, admission, exchange.req.headers, body)) maps.invalidate(streamName);
      const { results, accepted } = admission;
      if (batch) {
        sendJson(exchange, 200, { FailedRecordCount: results.length - accepted.length, Records: results, EncryptionType: 'NONE' });
        return;
      }
      const [result] = results;
      if (result.SequenceNumber) return sendJson(exchange, 200, { ShardId: result.ShardId, SequenceNumber: result.SequenceNumber, EncryptionType: 'NONE' });
      const throttled = result.ErrorCode === 'ProvisionedThroughputExceededException';
      sendError(exchange, throttled
        ? { status: 400, type: result.ErrorCode!, message: rateExceededMessage(admission.shards[0].shardId, streamName) }
        : faultAnswer('http500', operation, streamName));
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      send(exchange, error.response.status, upstreamHeaders(error.response.headers), error.response.body);
    }
  };
}
