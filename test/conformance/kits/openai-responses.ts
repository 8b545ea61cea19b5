import type { ToolChoice } from '../../../src/core/canonical.js';
import { answer, timeTool, weatherTool, type UsageCounts } from '../canonical-cases.js';
import type { JsonBody, JsonModeReadback, RequestReader, WireItem, WireKit } from '../wire-kit.js';
import { openAiKit } from './openai.js';
import { bearer, imageFromUrl, list, parseJson, record, schemaReadback, sse, text, toolReadback, type SseEvent } from './wire-helpers.js';

/** Responses API wire format: https://platform.openai.com/docs/api-reference/responses/object and .../responses-streaming */

const created = 1767225600;
const responseId = 'resp_0c0nf0rmance0responses01';
const wireModel = 'gpt-5-mini-2025-08-07';
const toolIds = ['call_Rs3paris7Qm', 'call_Rs9tokyo2Lr'] as const;

function contentItems(role: 'user' | 'assistant', content: unknown): WireItem[] {
  if (typeof content === 'string') return [{ kind: 'text', role, text: content }];
  return list(content).flatMap((value): WireItem[] => {
    const part = record(value);
    if (part.type === 'input_text' || part.type === 'output_text') return [{ kind: 'text', role, text: text(part.text) ?? '' }];
    if (part.type === 'input_image') return [{ kind: 'image', ...imageFromUrl(text(part.image_url) ?? '') }];
    return [];
  });
}

function inputItems(value: unknown): WireItem[] {
  const item = record(value);
  if (item.type === 'function_call') return [{ kind: 'tool-call', id: text(item.call_id), name: text(item.name) ?? '', arguments: parseJson(text(item.arguments) ?? '{}') }];
  if (item.type === 'function_call_output') return [{ kind: 'tool-result', callId: text(item.call_id), name: undefined, content: text(item.output) ?? '' }];
  if (item.role === 'developer' || item.role === 'system') return [{ kind: 'system', text: contentItems('user', item.content).map((part) => (part.kind === 'text' ? part.text : '')).join('') }];
  if (item.role === 'user' || item.role === 'assistant') return contentItems(item.role, item.content);
  return [];
}

function toolChoice(body: JsonBody): ToolChoice | undefined {
  const choice = body.tool_choice;
  if (choice === undefined) return undefined;
  if (choice === 'auto' || choice === 'none' || choice === 'required') return choice;
  return { name: text(record(choice).name) ?? '' };
}

function jsonMode(body: JsonBody): JsonModeReadback {
  const format = record(record(body.text).format);
  if (format.type === 'json_object') return { type: 'json' };
  if (format.type === 'json_schema') return schemaReadback(format.schema);
  return { type: 'text' };
}

const reader: RequestReader = {
  items: (body) => [...(typeof body.instructions === 'string' ? [{ kind: 'system', text: body.instructions } as const] : []), ...list(body.input).flatMap(inputItems)],
  tools: (body) => list(body.tools).map((item) => toolReadback(record(item).name, record(item).description, record(item).parameters)),
  toolChoice,
  jsonMode,
  maxTokens: (body) => (typeof body.max_output_tokens === 'number' ? body.max_output_tokens : undefined),
};

function usage(counts: UsageCounts): JsonBody {
  const input = counts.input + counts.cacheRead;
  return { input_tokens: input, input_tokens_details: { cached_tokens: counts.cacheRead }, output_tokens: counts.output, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: input + counts.output };
}

function message(content: string): JsonBody {
  return { id: 'msg_0c0nf0rmance01', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', annotations: [], logprobs: [], text: content }] };
}

function functionCalls(): JsonBody[] {
  return answer.toolCalls.map((call, index) => ({ id: `fc_0c0nf0rmance0${index}`, type: 'function_call', status: 'completed', arguments: JSON.stringify(call.arguments), call_id: toolIds[index], name: call.name }));
}

/** The request fields a response object echoes, as OpenAI sends them for the shared conversation. */
const echoed: JsonBody = {
  background: false, instructions: 'You are a concise travel assistant.', max_output_tokens: 300, max_tool_calls: null, previous_response_id: null,
  prompt_cache_key: null, reasoning: { effort: 'medium', summary: null }, safety_identifier: null, service_tier: 'default', store: false, temperature: 1,
  text: { format: { type: 'text' }, verbosity: 'medium' }, tool_choice: 'auto',
  tools: [weatherTool, timeTool].map((tool) => ({ type: 'function', description: tool.description, name: tool.name, parameters: tool.parameters, strict: false })),
  top_logprobs: 0, top_p: 1, truncation: 'disabled', user: null, metadata: {},
};

function response(output: JsonBody[], counts: UsageCounts | null, status = 'completed'): JsonBody {
  return { id: responseId, object: 'response', created_at: created, status, error: null, incomplete_details: null, model: wireModel, output, parallel_tool_calls: true, ...echoed, usage: counts ? usage(counts) : null };
}

function numbered(events: JsonBody[]): SseEvent[] {
  return events.map((event, index) => ({ event: String(event.type), data: { ...event, sequence_number: index } }));
}

function textEvents(deltas: readonly string[]): JsonBody[] {
  const item = message('');
  return [
    { type: 'response.created', response: response([], null, 'in_progress') },
    { type: 'response.in_progress', response: response([], null, 'in_progress') },
    { type: 'response.output_item.added', output_index: 0, item: { ...item, status: 'in_progress', content: [] } },
    { type: 'response.content_part.added', item_id: item.id, output_index: 0, content_index: 0, part: { type: 'output_text', annotations: [], logprobs: [], text: '' } },
    ...deltas.map((delta) => ({ type: 'response.output_text.delta', item_id: item.id, output_index: 0, content_index: 0, delta, logprobs: [] })),
  ];
}

/** The events that close the message item once its text is complete. */
function messageDone(done: JsonBody): JsonBody[] {
  const part = list(done.content)[0] as JsonBody;
  return [
    { type: 'response.output_text.done', item_id: done.id, output_index: 0, content_index: 0, text: part.text, logprobs: [] },
    { type: 'response.content_part.done', item_id: done.id, output_index: 0, content_index: 0, part },
    { type: 'response.output_item.done', output_index: 0, item: done },
  ];
}

function textStream(): Uint8Array {
  const done = message(answer.text);
  return sse(numbered([...textEvents(answer.textDeltas), ...messageDone(done), { type: 'response.completed', response: response([done], answer.textUsage) }]));
}

function toolStream(): Uint8Array {
  const calls = functionCalls();
  const preamble = message(answer.preamble);
  const callEvents = answer.toolCalls.flatMap((call, index) => [
    { type: 'response.output_item.added', output_index: index + 1, item: { ...calls[index], status: 'in_progress', arguments: '' } },
    ...call.fragments.map((delta) => ({ type: 'response.function_call_arguments.delta', item_id: calls[index]?.id, output_index: index + 1, delta })),
    { type: 'response.function_call_arguments.done', item_id: calls[index]?.id, output_index: index + 1, name: call.name, arguments: JSON.stringify(call.arguments) },
    { type: 'response.output_item.done', output_index: index + 1, item: calls[index] },
  ]);
  return sse(numbered([...textEvents([answer.preamble]), ...messageDone(preamble), ...callEvents, { type: 'response.completed', response: response([preamble, ...calls], answer.toolUsage) }]));
}

/** A reasoning item with its summary and encrypted content before the message (https://platform.openai.com/docs/guides/reasoning). */
const reasoningItem: JsonBody = { id: 'rs_0c0nf0rmance01', type: 'reasoning', encrypted_content: 'gAAAAABc0nformanceEncryptedReasoning', summary: [{ type: 'summary_text', text: answer.reasoning }] };

function reasoningUsage(): JsonBody {
  return { ...usage(answer.reasoningUsage), output_tokens_details: { reasoning_tokens: answer.reasoningTokens } };
}

/** The text events of a message at output index 1, after the reasoning item. */
function shifted(events: JsonBody[]): JsonBody[] {
  return events.map((event) => ('output_index' in event ? { ...event, output_index: 1 } : event));
}

function reasoning(): WireKit['reasoning'] {
  const at = { item_id: reasoningItem.id, output_index: 0, summary_index: 0 };
  const done = message(answer.text);
  const [created, inProgress, ...messageEvents] = textEvents(answer.textDeltas);
  const thinking = [
    { type: 'response.output_item.added', output_index: 0, item: { ...reasoningItem, summary: [], encrypted_content: null } },
    { type: 'response.reasoning_summary_part.added', ...at, part: { type: 'summary_text', text: '' } },
    ...answer.reasoningDeltas.map((delta) => ({ type: 'response.reasoning_summary_text.delta', ...at, delta })),
    { type: 'response.reasoning_summary_text.done', ...at, text: answer.reasoning },
    { type: 'response.reasoning_summary_part.done', ...at, part: { type: 'summary_text', text: answer.reasoning } },
    { type: 'response.output_item.done', output_index: 0, item: reasoningItem },
  ];
  const completed = { type: 'response.completed', response: { ...response([reasoningItem, done], null), usage: reasoningUsage() } };
  return {
    response: { ...response([reasoningItem, done], null), usage: reasoningUsage() },
    stream: sse(numbered([created as JsonBody, inProgress as JsonBody, ...thinking, ...shifted([...messageEvents, ...messageDone(done)]), completed])),
    reasoningTokens: answer.reasoningTokens,
  };
}

/** Cut at max_output_tokens: status incomplete, and the stream ends with response.incomplete. */
function truncated(): WireKit['truncated'] {
  const done = { ...message(answer.truncatedText), status: 'incomplete' };
  const cut = (body: JsonBody): JsonBody => ({ ...body, status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
  const final = cut(response([done], answer.truncatedUsage));
  return {
    response: final,
    stream: sse(numbered([...textEvents(answer.truncatedDeltas), ...messageDone(done), { type: 'response.incomplete', response: final }])),
  };
}

function midStreamError(): Uint8Array {
  return sse(numbered([...textEvents(answer.textDeltas.slice(0, 2)), { type: 'error', code: 'server_error', message: 'The server had an error while processing your request. Sorry about that!', param: null }]));
}

/** OpenAI's Responses API as an upstream; errors share OpenAI's envelope and embeddings stay on /embeddings. */
export function openAiResponsesKit(): WireKit {
  const chat = openAiKit('openai');
  const kit: WireKit = {
    upstreamModel: chat.upstreamModel,
    endpoint: chat.endpoint,
    chatUrl: () => `${chat.endpoint.baseUrl}/responses`,
    credentialOf: (request) => bearer(request.headers),
    isStreamRequest: (_request, body) => body.stream === true,
    read: reader,
    wireCarriesToolIds: true,
    responses: {
      text: response([message(answer.text)], answer.textUsage),
      toolCalls: response([message(answer.preamble), ...functionCalls()], answer.toolUsage),
      json: response([message(JSON.stringify(answer.json))], answer.jsonUsage),
      cachedUsage: response([message(answer.text)], answer.cachedUsage),
    },
    streams: { text: textStream(), toolCalls: toolStream(), midStreamError: midStreamError() },
    reasoning: reasoning(),
    truncated: truncated(),
    errors: chat.errors,
    expect: { responseId, streamId: responseId, model: wireModel, toolCallIds: toolIds, rawFinish: { stop: 'completed', toolCalls: 'completed' }, cacheWriteTokens: 0, retryAfterMs: 7000 },
  };
  if (chat.embeddings) kit.embeddings = chat.embeddings;
  // Image generation goes through the image adapter of the provider type, whichever chat API it uses.
  if (chat.images) kit.images = chat.images;
  return kit;
}
