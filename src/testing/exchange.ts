import type http from 'node:http';
import http2 from 'node:http2';
import type { Readable, Writable } from 'node:stream';

/** The protocol a connection speaks: HTTP/2 with prior knowledge (h2c) or HTTP/1.1. */
export type Protocol = 'h2' | 'http/1.1';

/** What the front reads of a request, the same on both protocols. */
export type Incoming = Readable & { headers: http.IncomingHttpHeaders; method?: string; complete: boolean };

/** What the front writes of an answer, the same on both protocols. */
export type Reply = Writable & {
  readonly headersSent: boolean;
  statusCode: number;
  setHeader(name: string, value: number | string | readonly string[]): unknown;
  writeHead(status: number, headers?: http.OutgoingHttpHeaders): unknown;
};

/** One request and its answer, with the ways a fault ends them that differ between HTTP/1.1 and HTTP/2. */
export interface Exchange {
  protocol: Protocol;
  req: Incoming;
  res: Reply;
  /** `Host` (HTTP/1.1) or `:authority` (HTTP/2). */
  authority: string | undefined;
  /** Ends the request without an answer: RST_STREAM INTERNAL_ERROR on HTTP/2, the connection destroyed on HTTP/1.1. */
  reset(): void;
  /** HTTP/2: GOAWAY on the session, which is then closed without answering. HTTP/1.1: as `reset`. */
  goaway(): void;
  /** Destroys the connection the request came on, with every request on it. */
  destroyConnection(): void;
  /** Sends `status` and headers with the whole body's content-length, half the body, then cuts the answer. */
  truncate(status: number, headers: http.OutgoingHttpHeaders, body: Buffer): void;
  /** Set by the truncate fault: the next 200 answer is cut mid-body, and this is called when it is. */
  cut?: () => void;
}

const { NGHTTP2_INTERNAL_ERROR, NGHTTP2_NO_ERROR } = http2.constants;

export function http1Exchange(req: http.IncomingMessage, res: http.ServerResponse): Exchange {
  const destroy = () => req.socket.destroy();
  return {
    protocol: 'http/1.1',
    req,
    res,
    authority: req.headers.host,
    reset: destroy,
    goaway: destroy,
    destroyConnection: destroy,
    truncate(status, headers, body) {
      res.writeHead(status, { ...headers, 'content-length': body.length });
      res.write(body.subarray(0, body.length >> 1), destroy);
    },
  };
}

export function http2Exchange(req: http2.Http2ServerRequest, res: http2.Http2ServerResponse): Exchange {
  const { stream } = req;
  const reset = () => {
    if (!stream.destroyed) stream.close(NGHTTP2_INTERNAL_ERROR);
  };
  return {
    protocol: 'h2',
    req,
    res,
    authority: req.headers[':authority'] ?? req.headers.host,
    reset,
    goaway() {
      const { session } = stream;
      if (!session || session.destroyed) return;
      // The last stream named is the highest received: any of them may have been served, as far as the client knows.
      session.goaway(NGHTTP2_NO_ERROR);
      // destroy() right away would drop the GOAWAY frame before it is written.
      setImmediate(() => session.destroy());
    },
    destroyConnection() {
      stream.session?.destroy();
    },
    truncate(status, headers, body) {
      res.writeHead(status, { ...headers, 'content-length': body.length });
      res.write(body.subarray(0, body.length >> 1), reset);
    },
  };
}
