import type { ToolChoice } from '../../../src/core/canonical.js';
import type { ErrorContext } from '../../../src/core/provider.js';
import { answer, type UsageCounts } from '../canonical-cases.js';
import type { ErrorClass, JsonBody, RequestReader, WireItem, WireKit } from '../wire-kit.js';
import { header, jsonError, jsonInstructionReadback, list, record, sse, text, toolReadback, type SseEvent } from './wire-helpers.js';

/** Messages API wire format: https://docs.anthropic.com/en/api/messages and .../build-with-claude/streaming */

const model = 'claude-sonnet-4-5-20250929';
const messageId = 'msg_01C0nformanceAnthropic7x';
const toolIds = ['toolu_01ParisWeather8kQ2', 'toolu_01TokyoTime3vN7'] as const;
const apiKey = 'sk-ant-api03-C0nformanceAnthropicKey0123456789';

function usage(counts: UsageCounts, cacheWrite = 0): Record<string, unknown> {
  return {
    input_tokens: counts.input,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: counts.cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: cacheWrite, ephemeral_1h_input_tokens: 0 },
    output_tokens: counts.output,
    service_tier: 'standard',
  };
}

function message(content: unknown[], stopReason: string, counts: UsageCounts, cacheWrite = 0): Record<string, unknown> {
  return { id: messageId, type: 'message', role: 'assistant', model, content, stop_reason: stopReason, stop_sequence: null, usage: usage(counts, cacheWrite) };
}

const toolUseBlocks = answer.toolCalls.map((call, index) => ({ type: 'tool_use', id: toolIds[index], name: call.name, input: call.arguments }));

/** Every event's SSE name equals its payload's `type`. */
function events(payloads: Array<Record<string, unknown>>): SseEvent[] {
  return payloads.map((data) => ({ event: String(data.type), data }));
}

function start(counts: UsageCounts): Record<string, unknown> {
  return { type: 'message_start', message: { ...message([], '', { ...counts, output: 1 }), stop_reason: null } };
}

function textBlock(index: number, pieces: readonly string[]): Array<Record<string, unknown>> {
  return [
    { type: 'content_block_start', index, content_block: { type: 'text', text: '' } },
    ...pieces.map((piece) => ({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } })),
    { type: 'content_block_stop', index },
  ];
}

function end(stopReason: string, counts: UsageCounts): Array<Record<string, unknown>> {
  return [
    { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: counts.output } },
    { type: 'message_stop' },
  ];
}

function toolStream(): Uint8Array {
  const blocks = answer.toolCalls.flatMap((call, offset) => {
    const index = offset + 1;
    return [
      { type: 'content_block_start', index, content_block: { type: 'tool_use', id: toolIds[offset], name: call.name, input: {} } },
      { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: '' } },
      ...call.fragments.map((fragment) => ({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: fragment } })),
      { type: 'content_block_stop', index },
    ];
  });
  return sse(events([start(answer.toolUsage), ...textBlock(0, [answer.preamble]), { type: 'ping' }, ...blocks, ...end('tool_use', answer.toolUsage)]));
}

/** Extended thinking: a signed thinking block before the text (https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking). */
const signature = 'EqQBCkYIBxgCKkC0nformanceThinkingSignature01';

function reasoning(): WireKit['reasoning'] {
  const thinking = [
    { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
    ...answer.reasoningDeltas.map((piece) => ({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: piece } })),
    { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature } },
    { type: 'content_block_stop', index: 0 },
  ];
  return {
    response: message([{ type: 'thinking', thinking: answer.reasoning, signature }, { type: 'text', text: answer.text }], 'end_turn', answer.reasoningUsage),
    stream: sse(events([start(answer.reasoningUsage), ...thinking, ...textBlock(1, answer.textDeltas), ...end('end_turn', answer.reasoningUsage)])),
    // Thinking tokens are billed as output and not reported apart.
    reasoningTokens: 0,
  };
}

function truncated(): WireKit['truncated'] {
  return {
    response: message([{ type: 'text', text: answer.truncatedText }], 'max_tokens', answer.truncatedUsage),
    stream: sse(events([start(answer.truncatedUsage), ...textBlock(0, answer.truncatedDeltas), ...end('max_tokens', answer.truncatedUsage)])),
  };
}

function anthropicError(status: number, type: string, messageText: string, headers: Record<string, string> = {}): ErrorContext {
  return jsonError(status, { type: 'error', error: { type, message: messageText }, request_id: 'req_011C0nformance' }, { 'request-id': 'req_011C0nformance', ...headers });
}

/** https://docs.anthropic.com/en/api/errors */
const errors: Record<ErrorClass, ErrorContext> = {
  'context-length': anthropicError(400, 'invalid_request_error', 'prompt is too long: 215042 tokens > 200000 maximum'),
  authentication: anthropicError(401, 'authentication_error', `invalid x-api-key ${apiKey}`),
  permission: anthropicError(403, 'permission_error', 'Your API key does not have permission to use the specified resource.'),
  'not-found': anthropicError(404, 'not_found_error', 'model: claude-sonnet-9'),
  'rate-limited': anthropicError(429, 'rate_limit_error', 'This request would exceed the rate limit for your organization of 50 requests per minute. Please try again later.', {
    'retry-after': '7',
    'anthropic-ratelimit-requests-remaining': '0',
  }),
  'server-error': anthropicError(500, 'api_error', 'Internal server error'),
  overloaded: anthropicError(529, 'overloaded_error', 'Overloaded'),
};

function blockItems(role: 'user' | 'assistant', value: unknown): WireItem[] {
  const block = record(value);
  switch (block.type) {
    case 'text':
      return [{ kind: 'text', role, text: text(block.text) ?? '' }];
    case 'image': {
      const source = record(block.source);
      return [source.type === 'url' ? { kind: 'image', url: text(source.url) ?? '' } : { kind: 'image', data: text(source.data) ?? '', mediaType: text(source.media_type) ?? '' }];
    }
    case 'tool_use':
      return [{ kind: 'tool-call', id: text(block.id), name: text(block.name) ?? '', arguments: block.input }];
    case 'tool_result':
      return [{ kind: 'tool-result', callId: text(block.tool_use_id), name: undefined, content: text(block.content) ?? '' }];
    default:
      return [];
  }
}

function systemText(body: JsonBody): string {
  if (typeof body.system === 'string') return body.system;
  return list(body.system).map((block) => text(record(block).text) ?? '').join('\n\n');
}

function toolChoice(body: JsonBody): ToolChoice | undefined {
  const choice = record(body.tool_choice);
  if (choice.type === 'auto' || choice.type === 'none') return choice.type;
  if (choice.type === 'any') return 'required';
  if (choice.type === 'tool') return { name: text(choice.name) ?? '' };
  return undefined;
}

const reader: RequestReader = {
  items(body) {
    const system = systemText(body);
    const messages = list(body.messages).flatMap((value) => {
      const entry = record(value);
      const role = entry.role === 'assistant' ? 'assistant' : 'user';
      return list(entry.content).flatMap((block) => blockItems(role, block));
    });
    return [...(system === '' ? [] : [{ kind: 'system' as const, text: system }]), ...messages];
  },
  tools: (body) => list(body.tools).map((value) => toolReadback(record(value).name, record(value).description, record(value).input_schema)),
  toolChoice,
  jsonMode: (body) => jsonInstructionReadback(systemText(body)),
  maxTokens: (body) => (typeof body.max_tokens === 'number' ? body.max_tokens : undefined),
};

export function anthropicKit(): WireKit {
  const cachedWrite = 16;
  return {
    upstreamModel: 'claude-sonnet-4-5',
    endpoint: { name: 'anthropic', baseUrl: 'https://api.anthropic.com', apiKey },
    chatUrl: () => 'https://api.anthropic.com/v1/messages',
    credentialOf: (request) => header(request.headers, 'x-api-key'),
    isStreamRequest: (_request, body) => body.stream === true,
    read: reader,
    wireCarriesToolIds: true,
    responses: {
      text: message([{ type: 'text', text: answer.text }], 'end_turn', answer.textUsage),
      toolCalls: message([{ type: 'text', text: answer.preamble }, ...toolUseBlocks], 'tool_use', answer.toolUsage),
      json: message([{ type: 'text', text: JSON.stringify(answer.json) }], 'end_turn', answer.jsonUsage),
      cachedUsage: message([{ type: 'text', text: answer.text }], 'end_turn', answer.cachedUsage, cachedWrite),
    },
    streams: {
      text: sse(events([start(answer.textUsage), ...textBlock(0, answer.textDeltas), { type: 'ping' }, ...end('end_turn', answer.textUsage)])),
      toolCalls: toolStream(),
      midStreamError: sse([
        ...events([start(answer.textUsage), ...textBlock(0, answer.textDeltas.slice(0, 2)).slice(0, -1)]),
        { event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } },
      ]),
    },
    reasoning: reasoning(),
    truncated: truncated(),
    errors,
    expect: {
      responseId: messageId,
      streamId: messageId,
      model,
      toolCallIds: toolIds,
      rawFinish: { stop: 'end_turn', toolCalls: 'tool_use' },
      cacheWriteTokens: cachedWrite,
      retryAfterMs: 7000,
    },
  };
}
