import http from 'node:http';
import { send as answer } from './answer.js';
import { AMZ_JSON, LOOPBACK, TARGET_PREFIX } from './constants.js';
import type { Exchange } from './exchange.js';

export interface UpstreamResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** An answer from kinesalite other than 200, to be relayed to the caller as it is. */
export class UpstreamError extends Error {
  constructor(readonly response: UpstreamResponse) {
    super(`kinesalite answered ${response.status}: ${response.body.toString('utf8', 0, 200)}`);
    this.name = 'UpstreamError';
  }
}

export interface Upstream {
  /** Sends a request body with the caller's headers (signature and all) and buffers the answer. */
  send(headers: http.IncomingHttpHeaders, body: Buffer): Promise<UpstreamResponse>;
  /** Calls an operation with the front's own dummy signature; rejects with UpstreamError unless 200. */
  call<T>(operation: string, input: object): Promise<T>;
  /** Sends a request on and streams the answer back untouched (status, headers, body), or cut if the exchange says so. */
  proxy(exchange: Exchange, body: Buffer): void;
  close(): void;
}

// kinesalite only checks that a signature is present, never that it is valid.
const OWN_HEADERS = {
  'content-type': AMZ_JSON,
  authorization: 'AWS4-HMAC-SHA256 Credential=local/20131202/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=0',
  'x-amz-date': '20131202T000000Z',
};

/**
 * Headers that must not be copied from the caller's connection to ours: hop-by-hop ones, and `origin`, as the
 * front alone answers CORS (kinesalite would allow any origin).
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'expect', 'upgrade', 'te', 'http2-settings', 'origin']);
/** Headers of kinesalite's answer that describe its HTTP/1.1 connection; HTTP/2 forbids them. */
const ANSWER_HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

export function createUpstream(port: number): Upstream {
  const agent = new http.Agent({ keepAlive: true });

  function open(headers: http.OutgoingHttpHeaders, body: Buffer, onResponse: (res: http.IncomingMessage) => void, onError: (err: Error) => void) {
    const req = http.request({ host: LOOPBACK, port, method: 'POST', path: '/', agent, headers: { ...headers, 'content-length': body.length } }, onResponse);
    req.on('error', onError);
    req.end(body);
  }

  function send(headers: http.IncomingHttpHeaders, body: Buffer): Promise<UpstreamResponse> {
    return new Promise((resolve, reject) => {
      open(forwardable(headers), body, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      }, reject);
    });
  }

  return {
    send,
    async call<T>(operation: string, input: object) {
      const response = await send({ ...OWN_HEADERS, 'x-amz-target': TARGET_PREFIX + operation }, Buffer.from(JSON.stringify(input)));
      if (response.status !== 200) throw new UpstreamError(response);
      // Some operations (CreateStream, SplitShard, ...) answer 200 with an empty body.
      return (response.body.length > 0 ? JSON.parse(response.body.toString('utf8')) : {}) as T;
    },
    proxy(exchange, body) {
      const { req, res } = exchange;
      if (exchange.cut) {
        send(req.headers, body).then(
          (upstream) => answer(exchange, upstream.status, upstreamHeaders(upstream.headers), upstream.body),
          () => badGateway(exchange),
        );
        return;
      }
      open(forwardable(req.headers), body, (upstream) => {
        res.writeHead(upstream.statusCode ?? 500, upstreamHeaders(upstream.headers));
        upstream.pipe(res);
      }, () => badGateway(exchange));
    },
    close() {
      agent.destroy();
    },
  };
}

function badGateway({ res }: Exchange): void {
  if (!res.headersSent) res.writeHead(502);
  res.end();
}

/** The caller's headers minus hop-by-hop ones and HTTP/2's pseudo-headers (`:path`, `:authority`, ...). */
function forwardable(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name) && !name.startsWith(':')) out[name] = value;
  return out;
}

/** The answer's headers minus the ones that describe kinesalite's connection rather than the message. */
export function upstreamHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !ANSWER_HOP_BY_HOP.has(name)) out[name] = value;
  return out;
}
