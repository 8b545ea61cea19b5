import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';

/**
 * A minimal OpenAI Chat Completions server for benchmarks (and a non-streamed Responses API answer at `/v1/responses`):
 * a fixed small JSON answer, or a stream of
 * `chatCompletionChunks` content chunks, the usage chunk when asked for, and `[DONE]`.
 * Run as its own process so it never shares an event loop with the gateway or the load generator:
 *   node dist/bench/mock-upstream.js --port 9001 [--latency-ms 0] [--chunk-delay-ms 0]
 * (or MOCK_PORT, MOCK_LATENCY_MS, MOCK_CHUNK_DELAY_MS).
 */

export const chatCompletionChunks = 50;
export const chunkText = 'tok ';
/** Models whose name starts with this fail every third call with HTTP 500, for runs that mix in upstream errors. */
export const flakyPrefix = 'bench-flaky';
const created = 1_700_000_000;
const usage = { prompt_tokens: 24, completion_tokens: chatCompletionChunks, total_tokens: 24 + chatCompletionChunks };

export interface MockOptions {
  port: number;
  /** Delay before the response headers (both kinds of response). */
  latencyMs: number;
  /** Delay between two stream chunks; 0 writes the whole stream at once. */
  chunkDelayMs: number;
}

interface MockStats {
  requests: number;
  streams: number;
  openStreams: number;
  peakOpenStreams: number;
  badRequests: number;
  flakyCalls: number;
}

const completionBody = (model: string) =>
  Buffer.from(
    JSON.stringify({
      id: 'chatcmpl-bench',
      object: 'chat.completion',
      created,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello, benchmark!', refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 24, completion_tokens: 4, total_tokens: 28 },
    }),
  );

function chunkEvent(model: string, choices: unknown[], extra: Record<string, unknown> = {}): string {
  return `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created, model, system_fingerprint: null, choices, ...extra })}\n\n`;
}

/** The SSE events of one stream, prepared once per model name. */
function streamEvents(model: string, withUsage: boolean): string[] {
  const events: string[] = [];
  for (let index = 0; index < chatCompletionChunks; index += 1) {
    const delta = index === 0 ? { role: 'assistant', content: chunkText } : { content: chunkText };
    events.push(chunkEvent(model, [{ index: 0, delta, logprobs: null, finish_reason: index === chatCompletionChunks - 1 ? 'stop' : null }], withUsage ? { usage: null } : {}));
  }
  if (withUsage) events.push(chunkEvent(model, [], { usage }));
  events.push('data: [DONE]\n\n');
  return events;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The same answer as a Responses API object (non-streamed only), for a provider configured with `api: responses`. */
const responsesBody = (model: string) =>
  Buffer.from(
    JSON.stringify({
      id: 'resp_bench', object: 'response', created_at: created, status: 'completed', background: false, error: null, incomplete_details: null,
      instructions: null, max_output_tokens: 16, model, parallel_tool_calls: true, previous_response_id: null, store: false, temperature: 0, top_p: 1,
      text: { format: { type: 'text' } }, tool_choice: 'auto', tools: [], truncation: 'disabled', reasoning: { effort: null, summary: null }, metadata: {}, user: null,
      output: [{ type: 'message', id: 'msg_bench', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Hello, benchmark!', annotations: [], logprobs: [] }] }],
      usage: { input_tokens: 24, input_tokens_details: { cached_tokens: 0 }, output_tokens: 4, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 28 },
    }),
  );

export function createMockUpstream(options: MockOptions) {
  const stats: MockStats = { requests: 0, streams: 0, openStreams: 0, peakOpenStreams: 0, badRequests: 0, flakyCalls: 0 };
  const completions = new Map<string, Buffer>();
  const streams = new Map<string, string[]>();

  async function writeStream(response: ServerResponse, model: string, withUsage: boolean): Promise<void> {
    const cacheKey = `${model}\n${withUsage}`;
    let events = streams.get(cacheKey);
    if (!events) streams.set(cacheKey, (events = streamEvents(model, withUsage)));
    stats.streams += 1;
    stats.openStreams += 1;
    stats.peakOpenStreams = Math.max(stats.peakOpenStreams, stats.openStreams);
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    try {
      for (const event of events) {
        if (response.destroyed) return;
        response.write(event);
        if (options.chunkDelayMs > 0) await delay(options.chunkDelayMs);
      }
      response.end();
    } finally {
      stats.openStreams -= 1;
    }
  }

  const responsesAnswers = new Map<string, Buffer>();

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.url === '/_mock/stats') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
      return;
    }
    if (request.url === '/_mock/reset' && request.method === 'POST') {
      Object.assign(stats, { requests: 0, streams: 0, peakOpenStreams: stats.openStreams, badRequests: 0 });
      response.writeHead(204).end();
      return;
    }
    stats.requests += 1;
    const text = await readBody(request);
    let body: { model?: unknown; stream?: unknown; stream_options?: { include_usage?: unknown } };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      stats.badRequests += 1;
      response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"invalid JSON","type":"invalid_request_error"}}');
      return;
    }
    const model = typeof body.model === 'string' ? body.model : 'bench-model';
    if (options.latencyMs > 0) await delay(options.latencyMs);
    if (model.startsWith(flakyPrefix) && (stats.flakyCalls++ % 3) === 0) {
      response.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"mock failure","type":"server_error"}}');
      return;
    }
    if (body.stream === true) return writeStream(response, model, body.stream_options?.include_usage === true);
    if (request.url?.endsWith('/responses')) {
      let answer = responsesAnswers.get(model);
      if (!answer) responsesAnswers.set(model, (answer = responsesBody(model)));
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length }).end(answer);
      return;
    }
    let payload = completions.get(model);
    if (!payload) completions.set(model, (payload = completionBody(model)));
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': payload.length }).end(payload);
  }

  return {
    stats,
    server: createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
      handle(request, response).catch(() => response.destroy());
    }),
  };
}

function numberArg(argv: string[], name: string, envName: string, fallback: number): number {
  const index = argv.indexOf(`--${name}`);
  const text = index === -1 ? process.env[envName] : argv[index + 1];
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name}: expected a non-negative number, got "${text}"`);
  return value;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  const options: MockOptions = {
    port: numberArg(argv, 'port', 'MOCK_PORT', 9001),
    latencyMs: numberArg(argv, 'latency-ms', 'MOCK_LATENCY_MS', 0),
    chunkDelayMs: numberArg(argv, 'chunk-delay-ms', 'MOCK_CHUNK_DELAY_MS', 0),
  };
  const { server } = createMockUpstream(options);
  server.listen(options.port, '127.0.0.1', () => process.stdout.write(`mock upstream listening on 127.0.0.1:${options.port}\n`));
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Exit with the parent: the bench keeps an IPC channel open to every mock it starts.
  process.on('disconnect', () => process.exit(0));
}
