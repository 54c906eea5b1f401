import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { AMZ_JSON } from './constants.js';
import type { Exchange } from './exchange.js';
import type { ErrorAnswer } from './fault-types.js';

export type { ErrorAnswer };

/** Sends a whole answer, or half of it when the truncate fault marked the exchange and the answer is a 200. */
export function send(exchange: Exchange, status: number, headers: http.OutgoingHttpHeaders, body: Buffer): void {
  const { cut, res } = exchange;
  if (cut && status === 200) {
    exchange.cut = undefined;
    cut();
    return exchange.truncate(status, headers, body);
  }
  res.writeHead(status, { ...headers, 'content-length': body.length });
  res.end(body);
}

export function sendJson(exchange: Exchange, status: number, body: unknown): void {
  send(exchange, status, { 'content-type': AMZ_JSON, 'x-amzn-requestid': randomUUID() }, Buffer.from(JSON.stringify(body)));
}

export function sendError(exchange: Exchange, error: ErrorAnswer): void {
  sendJson(exchange, error.status, error.message === undefined ? { __type: error.type } : { __type: error.type, message: error.message });
}
