import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../core/errors.js';

/** Reads a request body up to `limit` bytes and parses it as JSON, with errors that say what to fix. */
export async function readJsonBody(request: IncomingMessage, limit: number): Promise<unknown> {
  const body = await readOptionalJsonBody(request, limit);
  if (body === undefined) throw new GatewayError('invalid_request', 'The request body is empty; send a JSON object.');
  return body;
}

/** Like readJsonBody, but an empty body gives undefined. */
export async function readOptionalJsonBody(request: IncomingMessage, limit: number): Promise<unknown> {
  const text = await readTextBody(request, limit);
  if (text.trim().length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new GatewayError('invalid_request', `The request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Reads a request body up to `limit` bytes as UTF-8 text. */
export function readTextBody(request: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    request.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!failed) resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', (error) => {
      if (!failed) reject(new GatewayError('invalid_request', 'The request body could not be read.', { cause: error, retryable: false }));
    });
  });
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError('request_too_large', `The request body is larger than the limit of ${limit} bytes (server.bodyLimitBytes).`);
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** The client's key, from `Authorization: Bearer` or Anthropic's `x-api-key`. */
export function presentedKey(request: IncomingMessage): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization) {
    const space = authorization.indexOf(' ');
    return space === -1 ? authorization : authorization.slice(space + 1).trim();
  }
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey : undefined;
}

/** The customer a request is attributed to: the `x-switchyard-customer` header, else the body's `user` field. */
export function customerOf(request: IncomingMessage, user: string | undefined): string | null {
  const header = request.headers['x-switchyard-customer'];
  if (typeof header === 'string' && header !== '') return header;
  return user ?? null;
}
