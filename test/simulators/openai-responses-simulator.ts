import type { ServerResponse } from 'node:http';
import {
  isRecord, replyAfterTools, replyPieces, simulatedReply, simulatedToolCalls, simulatedUsage, startProviderSimulator, throughFirst, writeJson, writeStream,
  type ProviderSimulator,
} from './loopback-server.js';

type Body = Record<string, unknown>;
type Event = Record<string, unknown>;

export const responsesCallIds = ['call_sim_r1', 'call_sim_r2'] as const;
export const simulatedReasoning = { id: 'rs_sim_01', summary: 'Looking at the question.', encrypted: 'gAAAAABsimulatedEncryptedReasoning' } as const;

function lastItemIsToolOutput(body: Body): boolean {
  const last = Array.isArray(body.input) ? body.input.at(-1) : undefined;
  return isRecord(last) && last.type === 'function_call_output';
}

function wantsTools(body: Body): boolean {
  return Array.isArray(body.tools) && body.tools.length > 0 && body.tool_choice !== 'none' && !lastItemIsToolOutput(body);
}

/** Encrypted reasoning only comes back when asked for (https://platform.openai.com/docs/guides/reasoning#encrypted-reasoning-items). */
function reasoningItem(body: Body): Event {
  const item: Event = { id: simulatedReasoning.id, type: 'reasoning', summary: [{ type: 'summary_text', text: simulatedReasoning.summary }] };
  if (Array.isArray(body.include) && body.include.includes('reasoning.encrypted_content')) item.encrypted_content = simulatedReasoning.encrypted;
  return item;
}

/**
 * A request that offers OpenAI's built-in web search and no function tool gets a search the provider ran itself,
 * then a cited answer; agents that offer web search beside their function tools still get the scripted tool loop.
 */
function wantsWebSearch(body: Body): boolean {
  const tools = Array.isArray(body.tools) ? body.tools.filter(isRecord) : [];
  return tools.some((tool) => tool.type === 'web_search' || tool.type === 'web_search_preview') && !tools.some((tool) => tool.type === 'function');
}

export const simulatedSearch = {
  item: { id: 'ws_sim_01', type: 'web_search_call', status: 'completed', action: { type: 'search', query: 'harbour tides today', sources: [{ type: 'url', url: 'https://tides.example.com/today' }] } },
  text: 'High tide is at 14:05 today.',
  citation: { type: 'url_citation', start_index: 0, end_index: 28, title: 'Tides today', url: 'https://tides.example.com/today' },
} as const;

function searchItems(body: Body): Event[] {
  const part = { type: 'output_text', annotations: [simulatedSearch.citation], logprobs: [], text: simulatedSearch.text };
  return [reasoningItem(body), { ...simulatedSearch.item }, { id: 'msg_sim_02', type: 'message', status: 'completed', role: 'assistant', content: [part] }];
}

function outputItems(body: Body): Event[] {
  if (wantsWebSearch(body)) return searchItems(body);
  if (wantsTools(body)) {
    return [reasoningItem(body), ...simulatedToolCalls.map((call, index) => ({ id: `fc_sim_${index}`, type: 'function_call', status: 'completed', arguments: JSON.stringify(call.input), call_id: responsesCallIds[index], name: call.name }))];
  }
  const text = lastItemIsToolOutput(body) ? replyAfterTools : simulatedReply;
  return [reasoningItem(body), { id: 'msg_sim_01', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', annotations: [], logprobs: [], text }] }];
}

function response(body: Body, status: string, output: Event[]): Event {
  return {
    id: 'resp_sim_01', object: 'response', created_at: 1_760_000_000, status, error: null, incomplete_details: null, model: body.model, output,
    parallel_tool_calls: true, previous_response_id: null, store: body.store ?? true, tools: body.tools ?? [],
    usage: status === 'completed'
      ? { input_tokens: simulatedUsage.freshInput + simulatedUsage.cachedInput, input_tokens_details: { cached_tokens: simulatedUsage.cachedInput }, output_tokens: simulatedUsage.output, output_tokens_details: { reasoning_tokens: 3 }, total_tokens: simulatedUsage.freshInput + simulatedUsage.cachedInput + simulatedUsage.output }
      : null,
  };
}

function itemEvents(item: Event, outputIndex: number): Event[] {
  if (item.type === 'reasoning') {
    return [
      { type: 'response.output_item.added', output_index: outputIndex, item: { ...item, summary: [] } },
      { type: 'response.reasoning_summary_part.added', item_id: item.id, output_index: outputIndex, summary_index: 0, part: { type: 'summary_text', text: '' } },
      { type: 'response.reasoning_summary_text.delta', item_id: item.id, output_index: outputIndex, summary_index: 0, delta: simulatedReasoning.summary },
      { type: 'response.reasoning_summary_text.done', item_id: item.id, output_index: outputIndex, summary_index: 0, text: simulatedReasoning.summary },
      { type: 'response.output_item.done', output_index: outputIndex, item },
    ];
  }
  if (item.type === 'web_search_call') {
    const at = { item_id: item.id, output_index: outputIndex };
    return [
      { type: 'response.output_item.added', output_index: outputIndex, item: { id: item.id, type: item.type, status: 'in_progress' } },
      { type: 'response.web_search_call.in_progress', ...at },
      { type: 'response.web_search_call.searching', ...at },
      { type: 'response.web_search_call.completed', ...at },
      { type: 'response.output_item.done', output_index: outputIndex, item },
    ];
  }
  if (item.type === 'function_call') {
    const fragments = simulatedToolCalls.find((call) => call.name === item.name)?.fragments ?? [];
    return [
      { type: 'response.output_item.added', output_index: outputIndex, item: { ...item, status: 'in_progress', arguments: '' } },
      ...fragments.map((delta) => ({ type: 'response.function_call_arguments.delta', item_id: item.id, output_index: outputIndex, delta })),
      { type: 'response.function_call_arguments.done', item_id: item.id, output_index: outputIndex, arguments: item.arguments },
      { type: 'response.output_item.done', output_index: outputIndex, item },
    ];
  }
  const part = (item.content as Event[])[0] as Event;
  const annotations = Array.isArray(part.annotations) ? part.annotations : [];
  return [
    { type: 'response.output_item.added', output_index: outputIndex, item: { ...item, status: 'in_progress', content: [] } },
    { type: 'response.content_part.added', item_id: item.id, output_index: outputIndex, content_index: 0, part: { ...part, text: '', annotations: [] } },
    ...replyPieces(String(part.text)).map((delta) => ({ type: 'response.output_text.delta', item_id: item.id, output_index: outputIndex, content_index: 0, delta, logprobs: [] })),
    ...annotations.map((annotation, index) => ({ type: 'response.output_text.annotation.added', item_id: item.id, output_index: outputIndex, content_index: 0, annotation_index: index, annotation })),
    { type: 'response.output_text.done', item_id: item.id, output_index: outputIndex, content_index: 0, text: part.text, logprobs: [] },
    { type: 'response.content_part.done', item_id: item.id, output_index: outputIndex, content_index: 0, part },
    { type: 'response.output_item.done', output_index: outputIndex, item },
  ];
}

/** The stream's events in order, each with its sequence number: https://platform.openai.com/docs/api-reference/responses-streaming */
export function responsesStreamEvents(body: Body): Event[] {
  const output = outputItems(body);
  const events: Event[] = [
    { type: 'response.created', response: response(body, 'in_progress', []) },
    { type: 'response.in_progress', response: response(body, 'in_progress', []) },
    ...output.flatMap(itemEvents),
    { type: 'response.completed', response: response(body, 'completed', output) },
  ];
  return events.map((event, index) => ({ ...event, sequence_number: index }));
}

/** The non-streamed answer to a request body, as the simulator sends it. */
export function responsesAnswer(body: Body): Event {
  return response(body, 'completed', outputItems(body));
}

function frame(event: Event): string {
  return `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`;
}

function sendError(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const type = status === 429 ? 'rate_limit_error' : status === 401 ? 'invalid_request_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
  writeJson(response, status, { error: { message, type, param: null, code: status === 401 ? 'invalid_api_key' : null } }, headers);
}

/** OpenAI's Responses API on loopback (POST /v1/responses, Azure's /openai/v1/responses), streamed and not. */
export async function startOpenAiResponsesSimulator(): Promise<ProviderSimulator> {
  return startProviderSimulator({
    rejectBody: (res) => sendError(res, 400, 'We could not parse the JSON body of your request.'),
    async answer(request, body, res, behaviour) {
      const path = (request.url ?? '').split('?')[0];
      if (request.method !== 'POST' || (path !== '/v1/responses' && path !== '/openai/v1/responses')) return sendError(res, 404, 'Not found');
      if (!request.headers.authorization && !request.headers['api-key']) return sendError(res, 401, 'You did not provide an API key.');
      if (behaviour.kind === 'status') return sendError(res, behaviour.status, `simulated ${behaviour.status}`, behaviour.headers);
      if (typeof body.model !== 'string' || body.input === undefined) return sendError(res, 400, "Missing required parameter: 'input'.");
      if (body.stream !== true) return writeJson(res, 200, responsesAnswer(body), { 'x-request-id': 'req_sim_01' });
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'x-request-id': 'req_sim_01' });
      const events = responsesStreamEvents(body);
      if (behaviour.kind !== 'stream-error') return writeStream(res, events.map(frame));
      const first = throughFirst(events, (event) => event.type === 'response.output_text.delta' || event.type === 'response.function_call_arguments.delta');
      const failure = frame({ type: 'error', code: 'server_error', message: 'The server had an error while processing your request.', param: null, sequence_number: first.length });
      return writeStream(res, first.map(frame), { frame: failure, release: behaviour.release });
    },
  });
}
