import type http from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { admit, rateExceededMessage, type AdmitDeps } from './admit.js';
import { sendError, sendJson, type ErrorAnswer } from './answer.js';
import { ACCOUNT_ID } from './constants.js';
import type { RequestFault } from './faults.js';
import type { ShardMaps } from './shardMap.js';
import type { EntryStore } from './store.js';
import { UpstreamError, upstreamHeaders, type Upstream } from './upstream.js';
import { parsePut, validatePut, type SizeLimits } from './validate.js';

export interface PutDeps extends AdmitDeps {
  upstream: Upstream;
  maps: ShardMaps;
  store: EntryStore;
  limits: SizeLimits;
}

const FAULT_ANSWERS: Record<'http500' | 'http503' | 'throttle', (streamName: string) => ErrorAnswer> = {
  http500: () => ({ status: 500, type: 'InternalFailure', message: 'Internal service failure.' }),
  http503: () => ({ status: 503, type: 'ServiceUnavailable', message: 'Service Unavailable' }),
  throttle: (streamName) => ({ status: 400, type: 'ProvisionedThroughputExceededException', message: `Rate exceeded for stream ${streamName} under account ${ACCOUNT_ID}.` }),
};

const FAULT_STATS = { hang: 'hangs', reset: 'resets', http500: 'http500', http503: 'http503', throttle: 'throttledRequests' } as const;

/**
 * PutRecords (`batch`) and PutRecord: validate, draw faults, wait the injected latency, admit each entry against
 * its shard's budget, store the accepted ones, answer with per-entry results in request order.
 */
export function createPutHandler(deps: PutDeps) {
  const { upstream, maps, store, limits, faults, stats } = deps;

  return async function handlePut(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, batch: boolean): Promise<void> {
    const request = parsePut(body, batch);
    if (!request) return upstream.proxy(req, body, res);
    const invalid = validatePut(request, limits, batch);
    if (invalid) return sendError(res, invalid);

    const fault = faults.requestFault();
    const latency = faults.latencyMs();
    if (latency > 0) await delay(latency);
    if (fault) return injectFault(fault, request.streamName, req, res);

    const { streamName } = request;
    try {
      const map = await maps.get(streamName);
      if (map.shards.length === 0) {
        // A stream still CREATING has no shards yet; forget the empty map so the next write looks again.
        maps.invalidate(streamName);
        return sendError(res, { status: 400, type: 'ResourceNotFoundException', message: `Stream ${streamName} under account ${ACCOUNT_ID} not found.` });
      }
      const admission = admit(deps, map, request.entries, performance.now());
      if (await store.write(request, admission, req.headers, body)) maps.invalidate(streamName);
      const { results, accepted } = admission;
      if (batch) {
        sendJson(res, 200, { FailedRecordCount: results.length - accepted.length, Records: results, EncryptionType: 'NONE' });
        return;
      }
      const [result] = results;
      if (result.SequenceNumber) return sendJson(res, 200, { ShardId: result.ShardId, SequenceNumber: result.SequenceNumber, EncryptionType: 'NONE' });
      const throttled = result.ErrorCode === 'ProvisionedThroughputExceededException';
      sendError(res, throttled
        ? { status: 400, type: result.ErrorCode!, message: rateExceededMessage(admission.shards[0].shardId, streamName) }
        : FAULT_ANSWERS.http500(streamName));
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      res.writeHead(error.response.status, upstreamHeaders(error.response.headers));
      res.end(error.response.body);
    }
  };

  function injectFault(fault: RequestFault, streamName: string, req: http.IncomingMessage, res: http.ServerResponse): void {
    stats.fault(FAULT_STATS[fault]);
    // A hung request is simply never answered; stop() destroys its socket.
    if (fault === 'hang') return;
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    sendError(res, FAULT_ANSWERS[fault](streamName));
  }
}
