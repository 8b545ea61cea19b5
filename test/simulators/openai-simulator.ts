import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openAiLastTurnHasToolResults, scriptedAgentTurn, writeOpenAiScriptedTurn } from './scripted-agent.js';

/** What the simulator received, so tests can check exactly what reached the "provider". */
export interface ReceivedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export type SimulatorBehaviour =
  | { kind: 'ok' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'cut-stream'; afterChunks: number }
  | { kind: 'malformed' }
  | { kind: 'no-usage' };

export interface OpenAiSimulator {
  url: string;
  received: ReceivedRequest[];
  /** Sets how the next requests are answered (default `ok`). */
  behave(behaviour: SimulatorBehaviour): void;
  close(): Promise<void>;
}

const reply = 'Hello from the simulator.';
export const simulatorUsage = { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19, prompt_tokens_details: { cached_tokens: 2 }, completion_tokens_details: { reasoning_tokens: 0 } };

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function wantsTools(body: Record<string, unknown>): boolean {
  return Array.isArray(body.tools) && body.tools.length > 0 && body.tool_choice !== 'none';
}

function completion(body: Record<string, unknown>, withUsage: boolean): Record<string, unknown> {
  const json = (body.response_format as { type?: string } | undefined)?.type?.startsWith('json');
  const message: Record<string, unknown> = wantsTools(body)
    ? { role: 'assistant', content: null, tool_calls: [{ id: 'call_sim_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }], refusal: null }
    : { role: 'assistant', content: json ? '{"answer":42}' : reply, refusal: null };
  const count = typeof body.n === 'number' ? body.n : 1;
  const choices = Array.from({ length: count }, (_, index) => ({ index, message, logprobs: logprobsFor(body, String(message.content ?? '')), finish_reason: wantsTools(body) ? 'tool_calls' : 'stop' }));
  return {
    id: 'chatcmpl-sim-1',
    object: 'chat.completion',
    created: 1_760_000_000,
    model: body.model,
    choices,
    ...(typeof body.service_tier === 'string' ? { service_tier: body.service_tier } : {}),
    system_fingerprint: 'fp_sim',
    ...(withUsage ? { usage: simulatorUsage } : {}),
  };
}

/** Log probabilities as OpenAI returns them (`choices[].logprobs.content`), when the request asked. */
function logprobsFor(body: Record<string, unknown>, text: string): Record<string, unknown> | null {
  if (body.logprobs !== true) return null;
  return { content: [{ token: text, logprob: -0.25, bytes: [...Buffer.from(text)], top_logprobs: [] }], refusal: null };
}

function chunk(body: Record<string, unknown>, choices: unknown[], extra: Record<string, unknown> = {}): string {
  return `data: ${JSON.stringify({ id: 'chatcmpl-sim-1', object: 'chat.completion.chunk', created: 1_760_000_000, model: body.model, choices, ...extra })}\n\n`;
}

/** The SSE events of a streamed answer: role, content pieces (or two parallel tool calls), finish, usage, [DONE]. */
export function streamEvents(body: Record<string, unknown>, withUsage: boolean, pieces = 5): string[] {
  const events = [chunk(body, [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }])];
  if (wantsTools(body)) {
    events.push(chunk(body, [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_sim_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] }, finish_reason: null }]));
    events.push(chunk(body, [{ index: 0, delta: { tool_calls: [{ index: 1, id: 'call_sim_2', type: 'function', function: { name: 'get_time', arguments: '' } }] }, finish_reason: null }]));
    for (const [index, fragment] of [[0, '{"city":'], [1, '{"zone":"CET"}'], [0, '"Paris"}']] as const) {
      events.push(chunk(body, [{ index: 0, delta: { tool_calls: [{ index, function: { arguments: fragment } }] }, finish_reason: null }]));
    }
    events.push(chunk(body, [{ index: 0, delta: {}, finish_reason: 'tool_calls' }]));
  } else {
    const words = Array.from({ length: pieces }, (_, index) => `w${index} `);
    const indexes = Array.from({ length: typeof body.n === 'number' ? body.n : 1 }, (_, index) => index);
    for (const word of words) events.push(chunk(body, indexes.map((index) => ({ index, delta: { content: word }, logprobs: logprobsFor(body, word), finish_reason: null }))));
    events.push(chunk(body, indexes.map((index) => ({ index, delta: {}, logprobs: null, finish_reason: 'stop' }))));
  }
  const options = body.stream_options as { include_usage?: boolean } | undefined;
  if (withUsage && options?.include_usage) events.push(chunk(body, [], { usage: simulatorUsage }));
  events.push('data: [DONE]\n\n');
  return events;
}

async function answer(behaviour: SimulatorBehaviour, body: Record<string, unknown>, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (behaviour.kind === 'hang') return;
  if (behaviour.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
  if (behaviour.kind === 'reset') {
    request.socket.destroy();
    return;
  }
  if (behaviour.kind === 'status') {
    const text = JSON.stringify(behaviour.body ?? { error: { message: `simulated ${behaviour.status}`, type: 'server_error', param: null, code: null } });
    response.writeHead(behaviour.status, { 'content-type': 'application/json', ...behaviour.headers });
    response.end(text);
    return;
  }
  if (behaviour.kind === 'malformed') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"id": "chatcmpl-broken", "choices": [');
    return;
  }
  if (request.url?.endsWith('/embeddings')) {
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ object: 'list', data: inputs.map((_, index) => ({ object: 'embedding', index, embedding: [0.1, 0.2, 0.3] })), model: body.model, usage: { prompt_tokens: 4 * inputs.length, total_tokens: 4 * inputs.length } }));
    return;
  }
  if (request.url?.endsWith('/images/generations')) {
    // The Images API shape: https://platform.openai.com/docs/api-reference/images/create
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ created: 1_760_000_000, data: [{ b64_json: 'aW1hZ2U=' }], usage: { input_tokens: 5, output_tokens: 100, total_tokens: 105 } }));
    return;
  }
  const withUsage = behaviour.kind !== 'no-usage';
  const script = scriptedAgentTurn('openai-chat', body, openAiLastTurnHasToolResults(body));
  if (script) return writeOpenAiScriptedTurn(response, body, script, simulatorUsage);
  if (!body.stream) {
    const text = JSON.stringify(completion(body, withUsage));
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    response.end(text);
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  const events = streamEvents(body, withUsage);
  const limit = behaviour.kind === 'cut-stream' ? behaviour.afterChunks : events.length;
  for (const event of events.slice(0, limit)) {
    response.write(event);
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (behaviour.kind === 'cut-stream') request.socket.destroy();
  else response.end();
}

/** An OpenAI Chat Completions server on loopback speaking the documented wire format, with injectable faults. */
export async function startOpenAiSimulator(): Promise<OpenAiSimulator> {
  let behaviour: SimulatorBehaviour = { kind: 'ok' };
  const received: ReceivedRequest[] = [];
  const server: Server = createServer((request, response) => {
    void readBody(request).then((text) => {
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      received.push({ path: request.url ?? '', headers: request.headers, body });
      return answer(behaviour, body, request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    received,
    behave(next) {
      behaviour = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
