import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { LOOPBACK, MiB } from './constants.js';
import { http1Exchange, http2Exchange, type Exchange } from './exchange.js';

export interface ListenerHandlers {
  /** Every request, on either protocol. */
  exchange(exchange: Exchange): void;
  /** Asked for every new connection: true destroys it at once (an outage in `reset` mode). */
  refuseConnection(): boolean;
}

export interface Listener {
  /** Listens on 127.0.0.1; resolves to the port (a free one for 0). */
  listen(port: number): Promise<number>;
  /** Closes the listening socket and destroys every connection: new connections are refused until `resume`. */
  pause(): Promise<void>;
  /** Listens again on the port it had. */
  resume(): Promise<void>;
  /** Stops listening and destroys every connection, hung requests included. */
  close(): Promise<void>;
}

/** What every HTTP/2 connection starts with (RFC 9113 §3.4). */
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
/** Bytes that tell the preface from any HTTP/1.1 method (`PRI` is no method a client sends). */
const SNIFF_BYTES = 3;
/** HTTP/2 memory per session: a 10 MiB PutRecords is 14 MiB of base64 JSON in flight. */
const H2_SESSION_MEMORY_MB = 64;
/** Flow-control window per stream and session, in bytes: large bodies arrive without waiting on WINDOW_UPDATEs. */
const H2_WINDOW_BYTES = 4 * MiB;

/**
 * One port for both protocols: each connection's first bytes say whether it is HTTP/2 with prior knowledge
 * (cleartext, as the SDK's default handler speaks to an `http://` endpoint) or HTTP/1.1, and the socket goes
 * to that server. `http2.createServer({ allowHTTP1 })` cannot do this: it needs TLS and ALPN.
 */
export function createListener(handlers: ListenerHandlers): Listener {
  const sockets = new Set<net.Socket>();
  const h1 = http.createServer((req, res) => handlers.exchange(http1Exchange(req, res)));
  const h2 = http2.createServer(
    { maxSessionMemory: H2_SESSION_MEMORY_MB, settings: { initialWindowSize: H2_WINDOW_BYTES } },
    (req, res) => handlers.exchange(http2Exchange(req, res)),
  );
  h2.on('session', (session) => session.setLocalWindowSize(H2_WINDOW_BYTES));
  // As http.createServer does: answers are written whole, so Nagle would only delay them.
  const server = net.createServer({ noDelay: true }, (socket) => {
    if (handlers.refuseConnection()) return void socket.resetAndDestroy();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A client that resets before the protocol is known must not crash the process; the servers add their own.
    socket.on('error', ignore);
    sniff(socket, (isH2) => (isH2 ? h2 : h1).emit('connection', socket));
  });
  let port = 0;
  let closed = false;

  const stopListening = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });

  return {
    async listen(wanted) {
      port = await listenOn(server, wanted);
      return port;
    },
    pause: stopListening,
    async resume() {
      if (closed || server.listening) return;
      await listenOn(server, port);
      // Closed while it was binding: it must not stay open.
      if (closed) await stopListening();
    },
    close() {
      closed = true;
      return stopListening();
    },
  };
}

const ignore = () => {};

/** Reads until the first bytes decide the protocol, then puts them back for the server that takes the socket. */
function sniff(socket: net.Socket, decide: (isH2: boolean) => void): void {
  const chunks: Buffer[] = [];
  const onData = (chunk: Buffer) => {
    chunks.push(chunk);
    const head = Buffer.concat(chunks);
    const compared = Math.min(head.length, H2_PREFACE.length);
    const isH2 = head.subarray(0, compared).equals(H2_PREFACE.subarray(0, compared));
    if (isH2 && head.length < SNIFF_BYTES) return;
    socket.off('data', onData);
    socket.pause();
    socket.unshift(head);
    decide(isH2);
    process.nextTick(() => socket.resume());
  };
  socket.on('data', onData);
}

/** Listens on 127.0.0.1; resolves to the port (a free one for 0). */
export function listenOn(server: net.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}
