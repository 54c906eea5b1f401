import type { Incoming } from './exchange.js';
import { streamNameOfArn } from './validate.js';

/** Buffers the body; `body` is undefined when it exceeds `limit` bytes (the rest is drained and counted). */
export function readBody(req: Incoming, limit: number): Promise<{ body?: Buffer; size: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve({ body: size <= limit ? Buffer.concat(chunks, size) : undefined, size }));
    req.on('error', reject);
    req.on('close', () => req.complete || reject(new Error('request aborted by the client')));
  });
}

export function parseObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function streamNameOf(input: Record<string, unknown> | undefined): string | undefined {
  if (!input) return undefined;
  return typeof input.StreamName === 'string' ? input.StreamName : streamNameOfArn(input.StreamARN);
}
