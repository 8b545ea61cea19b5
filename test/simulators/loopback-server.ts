import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReceivedRequest } from './openai-simulator.js';

export type { ReceivedRequest };

/** How a simulator answers the next requests: normally, or with an HTTP error in the provider's own envelope. */
export type ProviderBehaviour =
  | { kind: 'ok' }
  | { kind: 'status'; status: number; headers?: Record<string, string> }
  /**
   * A stream that fails after its first content event with the provider's own in-stream error. The failure waits
   * for `release` when given; without it, it is written together with that first content event.
   */
  | { kind: 'stream-error'; release?: Promise<void> };

export interface ProviderSimulator {
  /** Base URL to configure as the provider's `baseUrl`. */
  url: string;
  received: ReceivedRequest[];
  /** Sets how the next requests are answered (default `ok`). */
  behave(behaviour: ProviderBehaviour): void;
  close(): Promise<void>;
}

/** The answers every simulator gives, so one conversation yields the same canonical result through each provider. */
export const simulatedReply = 'Hello from the simulator.';
export const replyAfterTools = 'It is 18°C and sunny in Paris, and 14:05 CET.';

/** One canonical usage in every provider's terms: 10 fresh input tokens, 2 read from cache, 7 output. */
export const simulatedUsage = { freshInput: 10, cachedInput: 2, output: 7 } as const;

/** The two parallel tool calls, with the fragments their arguments are streamed in where the wire format streams them. */
export const simulatedToolCalls = [
  { name: 'get_weather', input: { city: 'Paris' }, fragments: ['{"city":', '"Paris"}'] },
  { name: 'get_time', input: { zone: 'CET' }, fragments: ['{"zo', 'ne":"CET"}'] },
] as const;

/** The reply split into the pieces a stream sends. */
export function replyPieces(text: string): string[] {
  return text.split(/(?<= )/);
}

export function yieldToNetwork(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export interface StreamFailure {
  frame: string | Uint8Array;
  release: Promise<void> | undefined;
}

/** Writes a stream piece by piece, yielding between writes, and then the failure if there is one. */
export async function writeStream(response: ServerResponse, pieces: Array<string | Uint8Array>, failure?: StreamFailure): Promise<void> {
  for (const [index, piece] of pieces.entries()) {
    const joinFailure = failure !== undefined && failure.release === undefined && index === pieces.length - 1;
    response.write(joinFailure ? Buffer.concat([Buffer.from(piece), Buffer.from(failure.frame)]) : piece);
    await yieldToNetwork();
  }
  if (failure?.release) {
    await failure.release;
    response.write(failure.frame);
  }
  response.end();
}

/** The events up to and including the first one matching `isContent`. */
export function throughFirst<T>(events: T[], isContent: (event: T) => boolean): T[] {
  return events.slice(0, events.findIndex(isContent) + 1);
}

export function writeJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  response.end(text);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseBody(text: string): Record<string, unknown> | undefined {
  if (text === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export interface ExchangeHandler {
  /** Answers a request whose body was JSON; `received` already holds it. */
  answer(request: IncomingMessage, body: Record<string, unknown>, response: ServerResponse): Promise<void> | void;
  /** Answers a request whose body was not a JSON object, in the provider's error envelope. */
  rejectBody(response: ServerResponse): void;
}

/** Starts an HTTP server on a free loopback port that records every request and hands it to the provider's handler. */
export async function startLoopbackServer(handler: ExchangeHandler, received: ReceivedRequest[]): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    void readBody(request)
      .then(async (text) => {
        const body = parseBody(text);
        if (body === undefined) {
          handler.rejectBody(response);
          return;
        }
        received.push({ path: request.url ?? '', headers: request.headers, body });
        await handler.answer(request, body, response);
      })
      .catch(() => {
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
  });
  return listenOnLoopback(server);
}

/** Listens on a free loopback port; closing drops open connections too, so no test waits on a keep-alive. */
export async function listenOnLoopback(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A provider's answers, given how the simulator has been told to behave. */
export interface SimulatedProvider {
  answer(request: IncomingMessage, body: Record<string, unknown>, response: ServerResponse, behaviour: ProviderBehaviour): Promise<void> | void;
  rejectBody(response: ServerResponse): void;
}

/** A loopback provider simulator: it records what it receives and answers as it was last told to behave. */
export async function startProviderSimulator(provider: SimulatedProvider): Promise<ProviderSimulator> {
  let behaviour: ProviderBehaviour = { kind: 'ok' };
  const received: ReceivedRequest[] = [];
  const server = await startLoopbackServer({ answer: (request, body, response) => provider.answer(request, body, response, behaviour), rejectBody: provider.rejectBody }, received);
  return {
    url: server.url,
    received,
    behave(next) {
      behaviour = next;
    },
    close: server.close,
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function headerText(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
