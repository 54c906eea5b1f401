import http from 'node:http';
import http2 from 'node:http2';
import type { Protocol } from './helpers.js';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** The signature kinesalite insists on being present (it never checks it). */
export const SIGNED = {
  authorization: 'AWS4-HMAC-SHA256 Credential=local/20250101/us-east-1/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=00',
  'x-amz-date': '20250101T000000Z',
  'content-type': 'application/x-amz-json-1.1',
};

/** Headers a Kinesis operation needs, signed as kinesalite wants. */
export const operation = (name: string) => ({ ...SIGNED, 'x-amz-target': `Kinesis_20131202.${name}` });

/**
 * One request on `protocol`, with the headers exactly as given: `host` (HTTP/1.1) or `:authority` (HTTP/2) can
 * name another host than the one connected to, as a rebound DNS name would.
 */
export function rawRequest(protocol: Protocol, endpoint: string, method: string, headers: Record<string, string>, body = ''): Promise<RawAnswer> {
  return protocol === 'h2' ? http2Request(endpoint, method, headers, body) : http1Request(endpoint, method, headers, body);
}

function http1Request(endpoint: string, method: string, headers: Record<string, string>, body: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(endpoint, { method, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function http2Request(endpoint: string, method: string, headers: Record<string, string>, body: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(endpoint);
    session.on('error', reject);
    const { host, ...rest } = headers;
    const req = session.request({ ':method': method, ':path': '/', ...(host ? { ':authority': host } : {}), ...rest });
    let status = 0;
    let answerHeaders: RawAnswer['headers'] = {};
    let text = '';
    req.on('response', (h) => {
      status = Number(h[':status']);
      answerHeaders = h;
    });
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      session.close();
      resolve({ status, headers: answerHeaders, body: text });
    });
    req.on('error', reject);
    req.end(body);
  });
}
