import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  headerText, isRecord, replyAfterTools, replyPieces, simulatedReply, simulatedToolCalls, simulatedUsage, startProviderSimulator, throughFirst, writeJson, writeStream,
  type ProviderBehaviour, type ProviderSimulator,
} from './loopback-server.js';
import { SimulatedPromptCache, type PromptBlock, type SimulatedPromptCacheOptions } from './prompt-cache-simulation.js';
import { scriptedAgentTurn } from './scripted-agent.js';

export interface AnthropicSimulatorOptions {
  /** When set, any other `x-api-key` is refused with 401 as the real API does. */
  apiKey?: string;
  /**
   * Requests with `cache_control` markers are always counted and cached as the API does (prefixes of 1024 tokens and
   * up). With this option, the minimum is as given and requests without markers are counted too (no longer the fixed
   * simulated usage), so that a conversation can be compared with and without caching.
   */
  promptCache?: SimulatedPromptCacheOptions;
}

type Usage = Record<string, unknown>;

export const anthropicToolUseIds = ['toolu_sim_01', 'toolu_sim_02'] as const;

/** Error types by status: https://docs.anthropic.com/en/api/errors */
const errorTypes: Record<number, string> = {
  400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error',
  413: 'request_too_large', 429: 'rate_limit_error', 500: 'api_error', 504: 'timeout_error', 529: 'overloaded_error',
};

const errorMessages: Record<string, string> = {
  rate_limit_error: 'Number of request tokens has exceeded your per-minute rate limit.',
  overloaded_error: 'Overloaded',
};

function sendError(response: ServerResponse, status: number, message?: string, headers: Record<string, string> = {}): void {
  const type = errorTypes[status] ?? 'api_error';
  writeJson(response, status, { type: 'error', error: { type, message: message ?? errorMessages[type] ?? `simulated ${status}` }, request_id: 'req_sim_error' }, headers);
}

function lastTurnHasToolResults(body: Record<string, unknown>): boolean {
  const last = Array.isArray(body.messages) ? body.messages.at(-1) : undefined;
  return isRecord(last) && Array.isArray(last.content) && last.content.some((block) => isRecord(block) && block.type === 'tool_result');
}

function wantsTools(body: Record<string, unknown>): boolean {
  const script = scriptedAgentTurn('anthropic', body, lastTurnHasToolResults(body));
  if (script) return script.calls.length > 0;
  const choice = isRecord(body.tool_choice) ? body.tool_choice.type : undefined;
  return Array.isArray(body.tools) && body.tools.length > 0 && choice !== 'none' && !lastTurnHasToolResults(body);
}

function toolCalls(body: Record<string, unknown>): ReadonlyArray<{ name: string; input: unknown; fragments: readonly string[] }> {
  return scriptedAgentTurn('anthropic', body, lastTurnHasToolResults(body))?.calls ?? simulatedToolCalls;
}

function replyText(body: Record<string, unknown>): string {
  const script = scriptedAgentTurn('anthropic', body, lastTurnHasToolResults(body));
  if (script) return script.text;
  return lastTurnHasToolResults(body) ? replyAfterTools : simulatedReply;
}

function withoutMarker(block: unknown): unknown {
  if (!isRecord(block)) return block;
  const { cache_control: _marker, ...rest } = block;
  return rest;
}

function textBlocks(content: unknown): unknown[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? content : [];
}

/** The prompt in cache order, tools then system then messages: https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching */
function promptBlocks(body: Record<string, unknown>): PromptBlock[] {
  const block = (kind: string, value: unknown): PromptBlock => ({ content: { [kind]: withoutMarker(value) }, breakpoint: isRecord(value) && value.cache_control !== undefined });
  const tools = Array.isArray(body.tools) ? body.tools.map((tool) => block('tool', tool)) : [];
  const system = body.system === undefined ? [] : textBlocks(body.system).map((part) => block('system', part));
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const turns = messages.flatMap((message) => (isRecord(message) ? textBlocks(message.content).map((part) => block(String(message.role), part)) : []));
  return [...tools, ...system, ...turns];
}

/** `input_tokens` counts only what was neither read from nor written to the cache. */
function usageOf(body: Record<string, unknown>, cache: SimulatedPromptCache, options: AnthropicSimulatorOptions): Usage {
  const blocks = promptBlocks(body);
  if (options.promptCache === undefined && !blocks.some((block) => block.breakpoint)) {
    return { input_tokens: simulatedUsage.freshInput, cache_creation_input_tokens: 0, cache_read_input_tokens: simulatedUsage.cachedInput, output_tokens: simulatedUsage.output };
  }
  const counted = cache.use(String(body.model), blocks);
  return { input_tokens: counted.uncached, cache_creation_input_tokens: counted.written, cache_read_input_tokens: counted.read, output_tokens: simulatedUsage.output };
}

function message(body: Record<string, unknown>, usage: Usage): Record<string, unknown> {
  const tools = wantsTools(body);
  const content = tools
    ? toolCalls(body).map((call, index) => ({ type: 'tool_use', id: anthropicToolUseIds[index], name: call.name, input: call.input }))
    : [{ type: 'text', text: replyText(body) }];
  return {
    id: 'msg_sim_01',
    type: 'message',
    role: 'assistant',
    model: body.model,
    content,
    stop_reason: tools ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { ...usage, service_tier: 'standard' },
  };
}

function contentEvents(body: Record<string, unknown>): Array<Record<string, unknown>> {
  if (!wantsTools(body)) {
    return [
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      ...replyPieces(replyText(body)).map((text) => ({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })),
      { type: 'content_block_stop', index: 0 },
    ];
  }
  return toolCalls(body).flatMap((call, index) => [
    { type: 'content_block_start', index, content_block: { type: 'tool_use', id: anthropicToolUseIds[index], name: call.name, input: {} } },
    { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: '' } },
    ...call.fragments.map((partial_json) => ({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } })),
    { type: 'content_block_stop', index },
  ]);
}

/** The stream's events in order: https://docs.anthropic.com/en/docs/build-with-claude/streaming */
export function anthropicStreamEvents(body: Record<string, unknown>, usage: Usage): Array<Record<string, unknown>> {
  const start = { ...message(body, usage), content: [], stop_reason: null, usage: { ...usage, output_tokens: 1, service_tier: 'standard' } };
  return [
    { type: 'message_start', message: start },
    { type: 'ping' },
    ...contentEvents(body),
    // Current API versions repeat the cumulative input and cache counts in message_delta.
    { type: 'message_delta', delta: { stop_reason: wantsTools(body) ? 'tool_use' : 'end_turn', stop_sequence: null }, usage },
    { type: 'message_stop' },
  ];
}

function sseFrame(event: Record<string, unknown>): string {
  return `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** A failure mid-stream is an `error` event: https://docs.anthropic.com/en/docs/build-with-claude/streaming#error-events */
async function stream(body: Record<string, unknown>, usage: Usage, behaviour: ProviderBehaviour, response: ServerResponse): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': 'req_sim_01' });
  const events = anthropicStreamEvents(body, usage);
  if (behaviour.kind !== 'stream-error') {
    await writeStream(response, events.map(sseFrame));
    return;
  }
  const frame = sseFrame({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  await writeStream(response, throughFirst(events, (event) => event.type === 'content_block_delta').map(sseFrame), { frame, release: behaviour.release });
}

function checkHeaders(request: IncomingMessage, options: AnthropicSimulatorOptions, response: ServerResponse): boolean {
  const key = headerText(request, 'x-api-key');
  if (key === undefined || key === '') {
    sendError(response, 401, 'x-api-key header is required');
    return false;
  }
  if (options.apiKey !== undefined && key !== options.apiKey) {
    sendError(response, 401, 'invalid x-api-key');
    return false;
  }
  // A missing version header is a 400, not a 401, on the real API.
  if (!headerText(request, 'anthropic-version')) {
    sendError(response, 400, 'anthropic-version: header is required');
    return false;
  }
  return true;
}

/** Anthropic's Messages API on loopback (POST /v1/messages), speaking its documented JSON and SSE wire format. */
export async function startAnthropicSimulator(options: AnthropicSimulatorOptions = {}): Promise<ProviderSimulator> {
  const cache = new SimulatedPromptCache(options.promptCache);
  return startProviderSimulator({
    rejectBody: (response) => sendError(response, 400, 'There was an issue with the JSON body of the request.'),
    async answer(request, body, response, behaviour) {
      // Claude Code and the SDK's beta calls add `?beta=true`.
      const path = request.url?.split('?')[0];
      if (request.method === 'POST' && path === '/v1/messages/count_tokens' && checkHeaders(request, options, response)) {
        // A count that no tokenizer estimate would give, so tests can tell the provider's own count apart.
        if (body.max_tokens !== undefined) sendError(response, 400, 'max_tokens: Extra inputs are not permitted');
        else writeJson(response, 200, { input_tokens: 1000 + JSON.stringify(body.messages ?? []).length });
        return;
      }
      if (request.method !== 'POST' || path !== '/v1/messages') {
        sendError(response, 404, 'Not found');
        return;
      }
      if (!checkHeaders(request, options, response)) return;
      if (behaviour.kind === 'status') {
        sendError(response, behaviour.status, undefined, behaviour.headers);
        return;
      }
      if (typeof body.max_tokens !== 'number' || !Array.isArray(body.messages)) {
        sendError(response, 400, 'max_tokens: Field required');
        return;
      }
      const usage = usageOf(body, cache, options);
      if (body.stream === true) await stream(body, usage, behaviour, response);
      else writeJson(response, 200, message(body, usage), { 'request-id': 'req_sim_01' });
    },
  });
}
