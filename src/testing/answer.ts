import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { AMZ_JSON } from './constants.js';

/** A service error as the JSON 1.1 protocol carries it: `__type` names the exception the SDK throws. */
export interface ErrorAnswer {
  status: number;
  type: string;
  message: string;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': AMZ_JSON,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
}

export function sendError(res: http.ServerResponse, error: ErrorAnswer): void {
  sendJson(res, error.status, { __type: error.type, message: error.message });
}

/** Headers a browser page on another origin needs to read our answers; the same set kinesalite sends. */
const EXPOSED_HEADERS = 'x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,x-amzn-ErrorMessage,Date';
const ALLOWED_METHODS = 'GET, POST, OPTIONS';
/** How long a browser may cache a preflight answer, in seconds (kinesalite's value). */
const PREFLIGHT_MAX_AGE_SECONDS = 172800;

/** Adds the CORS headers to every answer to a cross-origin request, proxied ones included. */
export function addCorsHeaders(req: http.IncomingMessage, res: http.ServerResponse): void {
  if (!req.headers.origin) return;
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
}

/** Answers a preflight: any origin, our methods, and whatever headers it asks for (the SDK sends many). */
export function answerPreflight(req: http.IncomingMessage, res: http.ServerResponse): void {
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('access-control-allow-methods', ALLOWED_METHODS);
  const asked = req.headers['access-control-request-headers'];
  if (asked) res.setHeader('access-control-allow-headers', asked);
  res.setHeader('access-control-max-age', PREFLIGHT_MAX_AGE_SECONDS);
  res.writeHead(200, { 'content-length': 0, 'x-amzn-requestid': randomUUID() });
  res.end();
}
