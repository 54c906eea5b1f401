import { setTimeout as delay } from 'node:timers/promises';
import { sendError, type ErrorAnswer } from './answer.js';
import { ACCOUNT_ID } from './constants.js';
import type { Exchange } from './exchange.js';
import type { FaultInjector, RequestFault } from './faults.js';
import type { StatsRecorder } from './stats.js';

export interface RequestFaultDeps {
  faults: FaultInjector;
  stats: StatsRecorder;
}

/** Operations the service throttles with ProvisionedThroughputExceededException; the others get LimitExceededException. */
const DATA_OPERATIONS = new Set(['PutRecords', 'PutRecord', 'GetRecords']);

export function faultAnswer(fault: 'http500' | 'http503' | 'throttle', operation: string, streamName: string | undefined): ErrorAnswer {
  if (fault === 'http500') return { status: 500, type: 'InternalFailure', message: 'Internal service failure.' };
  if (fault === 'http503') return { status: 503, type: 'ServiceUnavailable', message: 'Service Unavailable' };
  const rate = `Rate exceeded for ${streamName === undefined ? operation : `stream ${streamName}`} under account ${ACCOUNT_ID}.`;
  return { status: 400, type: DATA_OPERATIONS.has(operation) ? 'ProvisionedThroughputExceededException' : 'LimitExceededException', message: rate };
}

const FAULT_STATS = { hang: 'hangs', reset: 'resets', goaway: 'goaways', http500: 'http500', http503: 'http503', throttle: 'throttledRequests' } as const;

/**
 * Draws the request-level fault and the latency of one request of `operation`, waits the latency, then applies
 * the fault. Resolves to true when the fault ended the request (answered or not). A truncate only marks the
 * exchange: the request is served, and its 200 answer cut.
 */
export async function applyRequestFaults(deps: RequestFaultDeps, exchange: Exchange, operation: string, streamName: string | undefined): Promise<boolean> {
  const { faults, stats } = deps;
  const fault = faults.requestFault(operation);
  const latency = faults.latencyMs(operation);
  if (latency > 0) await delay(latency);
  if (!fault) return false;
  if (fault === 'truncate') {
    exchange.cut = () => stats.fault('truncated');
    return false;
  }
  stats.fault(FAULT_STATS[fault]);
  injectors[fault](exchange, operation, streamName);
  return true;
}

/** A hung request is simply never answered; an outage's end or stop() destroys it. */
const injectors: Record<Exclude<RequestFault, 'truncate'>, (exchange: Exchange, operation: string, streamName: string | undefined) => void> = {
  hang: () => {},
  reset: (exchange) => exchange.reset(),
  goaway: (exchange) => exchange.goaway(),
  http500: (exchange, operation, streamName) => sendError(exchange, faultAnswer('http500', operation, streamName)),
  http503: (exchange, operation, streamName) => sendError(exchange, faultAnswer('http503', operation, streamName)),
  throttle: (exchange, operation, streamName) => sendError(exchange, faultAnswer('throttle', operation, streamName)),
};
