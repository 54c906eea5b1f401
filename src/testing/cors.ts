import { randomUUID } from 'node:crypto';
import { sendError } from './answer.js';
import type { Exchange } from './exchange.js';
import { isLoopbackOrigin } from './loopback.js';

/** Headers a browser page on another origin needs to read our answers; the same set kinesalite sends. */
const EXPOSED_HEADERS = 'x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,x-amzn-ErrorMessage,Date';
const ALLOWED_METHODS = 'GET, POST, OPTIONS';
/** How long a browser may cache a preflight answer, in seconds (kinesalite's value). */
const PREFLIGHT_MAX_AGE_SECONDS = 172800;
/** In `corsOrigins`, allows every origin. */
const ANY_ORIGIN = '*';

/** The `access-control-allow-origin` a page's origin gets, or undefined when the page may not use the endpoint. */
export type CorsPolicy = (origin: string) => string | undefined;

/**
 * Loopback origins (`http://localhost:<port>`, `http://127.0.0.1:<port>`, `http://[::1]:<port>`, and https) are
 * allowed, and echoed so each answer names the one page it is for; `extra` adds exact origins, or `'*'` for all.
 */
export function createCorsPolicy(extra: readonly string[] = []): CorsPolicy {
  for (const origin of extra) {
    if (origin !== ANY_ORIGIN && !isOrigin(origin)) throw new RangeError(`a CORS origin is scheme://host[:port] with no path, such as http://app.test:8080, or '*'; got "${origin}"`);
  }
  if (extra.includes(ANY_ORIGIN)) return () => ANY_ORIGIN;
  const allowed = new Set(extra);
  return (origin) => (isLoopbackOrigin(origin) || allowed.has(origin) ? origin : undefined);
}

function isOrigin(text: string): boolean {
  try {
    return new URL(text).origin === text;
  } catch {
    return false;
  }
}

/**
 * Adds the CORS headers to the answer of a request from a page (proxied ones included); answers 403 itself and
 * returns false for a page whose origin is not allowed, preflight or not, so it can neither read nor write.
 */
export function applyCors(exchange: Exchange, policy: CorsPolicy): boolean {
  const origin = exchange.req.headers.origin;
  if (!origin) return true;
  const allowed = policy(origin);
  if (!allowed) {
    sendError(exchange, {
      status: 403,
      type: 'AccessDeniedException',
      message: `Origin "${origin}" is not allowed: the local Kinesis answers pages on loopback origins only; allow others with corsOrigins (startLocalKinesis) or --cors-origin (rxjs-kinesis-local).`,
    });
    return false;
  }
  const { res } = exchange;
  res.setHeader('access-control-allow-origin', allowed);
  if (allowed !== ANY_ORIGIN) res.setHeader('vary', 'Origin');
  res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
  return true;
}

/** Answers an allowed preflight: our methods, and whatever headers it asks for (the SDK sends many). */
export function answerPreflight(exchange: Exchange): void {
  const { req, res } = exchange;
  res.setHeader('access-control-allow-methods', ALLOWED_METHODS);
  const asked = req.headers['access-control-request-headers'];
  if (asked) res.setHeader('access-control-allow-headers', asked);
  res.setHeader('access-control-max-age', PREFLIGHT_MAX_AGE_SECONDS);
  res.writeHead(200, { 'content-length': 0, 'x-amzn-requestid': randomUUID() });
  res.end();
}
