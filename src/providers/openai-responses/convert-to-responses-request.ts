import type { AssistantMessage, ChatRequest, ContentPart, FilePart, Message, ResponseFormat, ToolChoice } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import { asString } from '../shared/json-read.js';

/** Request body reference: https://platform.openai.com/docs/api-reference/responses/create */
type Item = Record<string, unknown>;

export const responsesFormat = 'openai-responses';
const encryptedReasoning = 'reasoning.encrypted_content';

/** File inputs: https://platform.openai.com/docs/guides/pdf-files?api-mode=responses */
function encodeFile(part: FilePart): Item {
  if (part.text !== undefined) return { type: 'input_text', text: part.text };
  const file: Item = { type: 'input_file' };
  if (part.fileId) file.file_id = part.fileId;
  else if (part.data !== undefined) file.file_data = `data:${part.mediaType ?? 'application/pdf'};base64,${part.data}`;
  else if (part.url) file.file_url = part.url;
  else throw new GatewayError('invalid_request', 'A file part needs data, a URL or a file id.', { param: 'messages' });
  if (part.filename) file.filename = part.filename;
  return file;
}

function encodeUserPart(part: ContentPart): Item {
  if (part.type === 'text') return { type: 'input_text', text: part.text };
  if (part.type === 'file') return encodeFile(part);
  const url = part.url ?? `data:${part.mediaType ?? 'image/png'};base64,${part.data ?? ''}`;
  return { type: 'input_image', image_url: url, detail: part.detail ?? 'auto' };
}

/** Reasoning items go back only to the format that made them; their ids and encrypted content mean nothing elsewhere. */
function encodeAssistant(message: AssistantMessage): Item[] {
  const items: Item[] = [];
  for (const part of message.reasoningParts ?? []) {
    if (part.format !== responsesFormat || !part.id) continue;
    const summaries = part.summary ?? (part.text ? [part.text] : []);
    const item: Item = { type: 'reasoning', id: part.id, summary: summaries.map((text) => ({ type: 'summary_text', text })) };
    if (part.encrypted !== undefined) item.encrypted_content = part.encrypted;
    items.push(item);
  }
  const text = message.content.map((part) => part.text).join('');
  if (text !== '') items.push({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] });
  for (const call of message.toolCalls ?? []) {
    const item: Item = { type: 'function_call', call_id: call.id, name: call.name, arguments: call.arguments };
    const itemId = asString(call.providerMetadata?.[responsesFormat]?.itemId);
    if (itemId) item.id = itemId;
    items.push(item);
  }
  return items;
}

function encodeMessage(message: Message): Item[] {
  switch (message.role) {
    case 'system':
      return [{ type: 'message', role: 'developer', content: [{ type: 'input_text', text: message.content }] }];
    case 'user':
      return [{ type: 'message', role: 'user', content: message.content.map(encodeUserPart) }];
    case 'assistant':
      return encodeAssistant(message);
    case 'tool':
      return [{ type: 'function_call_output', call_id: message.toolCallId, output: message.content }];
  }
}

/** Leading system messages become `instructions`; later ones stay in place as developer messages. */
export function convertToResponsesInput(messages: Message[]): { instructions: string | undefined; input: Item[] } {
  let first = 0;
  const leading: string[] = [];
  while (first < messages.length && messages[first]?.role === 'system') {
    leading.push((messages[first] as { content: string }).content);
    first += 1;
  }
  return { instructions: leading.length > 0 ? leading.join('\n\n') : undefined, input: messages.slice(first).flatMap(encodeMessage) };
}

function encodeToolChoice(choice: ToolChoice): unknown {
  return typeof choice === 'string' ? choice : { type: 'function', name: choice.name };
}

function encodeTextFormat(format: ResponseFormat): Item {
  if (format.type === 'text') return { type: 'text' };
  if (format.type === 'json') return { type: 'json_object' };
  const encoded: Item = { type: 'json_schema', name: format.name, schema: format.schema };
  if (format.strict !== undefined) encoded.strict = format.strict;
  if (format.description !== undefined) encoded.description = format.description;
  return encoded;
}

function encodeOptions(request: ChatRequest, body: Item): void {
  if (request.tools && request.tools.length > 0) {
    // Function tools are strict by default on this API; a client that did not ask for strict schemas must not get them.
    body.tools = request.tools.map((tool) => {
      const definition: Item = { type: 'function', name: tool.name, parameters: tool.parameters, strict: tool.strict ?? false };
      if (tool.description !== undefined) definition.description = tool.description;
      return definition;
    });
  }
  if (request.toolChoice !== undefined) body.tool_choice = encodeToolChoice(request.toolChoice);
  if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  if (request.responseFormat !== undefined) body.text = { format: encodeTextFormat(request.responseFormat) };
  if (request.reasoningEffort !== undefined) body.reasoning = { effort: request.reasoningEffort };
  if (request.maxTokens !== undefined) body.max_output_tokens = request.maxTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  // `user` is replaced by `safety_identifier` on this API; `seed` has no counterpart and is best-effort anyway.
  if (request.user !== undefined) body.safety_identifier = request.user;
}

/** Stateless calls: the gateway keeps the conversation, so nothing is stored upstream and reasoning comes back encrypted. */
function makeStateless(body: Item): void {
  if (body.store === undefined) body.store = false;
  if (body.store !== false) return;
  const include = Array.isArray(body.include) ? body.include.filter((entry) => entry !== encryptedReasoning) : [];
  body.include = [...include, encryptedReasoning];
}

/**
 * The client's body with the gateway's changes. The fields it drops are left out by destructuring rather than
 * deleted: `delete` turns the object into a dictionary, which every later write and JSON.stringify pay for.
 */
function fromNative(request: ChatRequest, native: Record<string, unknown>, upstreamModel: string): Item {
  const { stream: _stream, previous_response_id: previousId, ...body } = native;
  body.model = upstreamModel;
  // The ingress expanded previous_response_id into the canonical messages; that id means nothing to the provider.
  if (previousId !== undefined && previousId !== null) {
    const { instructions, input } = convertToResponsesInput(request.messages);
    body.input = input;
    if (instructions !== undefined) body.instructions = instructions;
  } else if (previousId === null) body.previous_response_id = null;
  if (request.stream) body.stream = true;
  makeStateless(body);
  return body;
}

export function convertToResponsesRequest(request: ChatRequest, upstreamModel: string): Item {
  if (request.native?.format === responsesFormat) return fromNative(request, request.native.body, upstreamModel);
  if (request.stop !== undefined && request.stop.length > 0) {
    throw new GatewayError('invalid_request', 'Stop sequences are not supported by the OpenAI Responses API.', { param: 'stop' });
  }
  const { instructions, input } = convertToResponsesInput(request.messages);
  const body: Item = { model: upstreamModel };
  if (instructions !== undefined) body.instructions = instructions;
  body.input = input;
  encodeOptions(request, body);
  makeStateless(body);
  if (request.stream) body.stream = true;
  return body;
}
