import type { AssistantMessage, ChatRequest, ContentPart, EmbeddingRequest, ImagePart, Message, ToolDefinition } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';

type CohereUserContent = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string; detail?: string } };

function imageUrl(part: ImagePart): string {
  if (part.url) return part.url;
  if (part.data) return `data:${part.mediaType ?? 'image/png'};base64,${part.data}`;
  throw new GatewayError('invalid_request', 'An image part has neither a URL nor inline data.', { param: 'messages' });
}

/** A lone text part stays a string; images need the block form (https://docs.cohere.com/docs/image-inputs). */
function userContent(parts: ContentPart[]): string | CohereUserContent[] {
  const first = parts[0];
  if (parts.length === 1 && first?.type === 'text') return first.text;
  return parts.map((part): CohereUserContent => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    if (part.type === 'file') {
      if (part.text !== undefined) return { type: 'text', text: part.text };
      throw new GatewayError('invalid_request', 'Cohere models take no file or document inputs; send the document text instead.', { param: 'messages' });
    }
    const image: { url: string; detail?: string } = { url: imageUrl(part) };
    if (part.detail) image.detail = part.detail;
    return { type: 'image_url', image_url: image };
  });
}

/** With tool calls, Cohere expects the text before them as `tool_plan` (https://docs.cohere.com/docs/tool-use-overview). */
function assistantMessage(message: AssistantMessage): Record<string, unknown> {
  const text = message.content.map((part) => part.text).join('');
  const calls = message.toolCalls ?? [];
  if (calls.length === 0) return { role: 'assistant', content: text };
  const converted: Record<string, unknown> = {
    role: 'assistant',
    tool_calls: calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
  };
  if (text !== '') converted.tool_plan = text;
  return converted;
}

function toCohereMessage(message: Message): Record<string, unknown> {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      return { role: 'user', content: userContent(message.content) };
    case 'assistant':
      return assistantMessage(message);
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  }
}

function toCohereTool(tool: ToolDefinition): Record<string, unknown> {
  const fn: Record<string, unknown> = { name: tool.name, parameters: tool.parameters };
  if (tool.description !== undefined) fn.description = tool.description;
  return { type: 'function', function: fn };
}

/** Cohere's `tool_choice` has only REQUIRED and NONE; a named tool becomes REQUIRED over that tool alone. */
function applyTools(request: ChatRequest, body: Record<string, unknown>): void {
  const tools = request.tools ?? [];
  if (tools.length === 0) return;
  const choice = request.toolChoice;
  if (typeof choice === 'object') {
    const chosen = tools.filter((tool) => tool.name === choice.name);
    if (chosen.length === 0) throw new GatewayError('invalid_request', `tool_choice names "${choice.name}", which is not among the tools.`, { param: 'tool_choice' });
    body.tools = chosen.map(toCohereTool);
    body.tool_choice = 'REQUIRED';
    return;
  }
  body.tools = tools.map(toCohereTool);
  if (choice === 'required') body.tool_choice = 'REQUIRED';
  else if (choice === 'none') body.tool_choice = 'NONE';
}

function applyResponseFormat(request: ChatRequest, body: Record<string, unknown>): void {
  const format = request.responseFormat;
  if (!format || format.type === 'text') return;
  body.response_format = format.type === 'json' ? { type: 'json_object' } : { type: 'json_object', json_schema: format.schema };
}

/** Builds a v2 Chat request body (https://docs.cohere.com/reference/chat). */
export function convertToCohereRequest(request: ChatRequest, upstreamModel: string): Record<string, unknown> {
  const body: Record<string, unknown> = { model: upstreamModel, messages: request.messages.map(toCohereMessage) };
  applyTools(request, body);
  applyResponseFormat(request, body);
  if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.p = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) body.stop_sequences = request.stop;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.stream) body.stream = true;
  return body;
}

/** Builds a v2 Embed request body (https://docs.cohere.com/reference/embed); v3+ models require `input_type`. */
export function convertToCohereEmbedRequest(request: EmbeddingRequest, upstreamModel: string): Record<string, unknown> {
  const body: Record<string, unknown> = { model: upstreamModel, texts: request.input, input_type: 'search_document', embedding_types: ['float'] };
  if (request.dimensions !== undefined) body.output_dimension = request.dimensions;
  return body;
}
