import type { ChatRequest, ContentPart, EmbeddingRequest, FilePart, Message, ResponseFormat, ToolChoice } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';

/** Differences of OpenAI-compatible servers from OpenAI itself, applied when building the body. */
export interface OpenAiWireQuirks {
  /** Send `max_tokens` instead of `max_completion_tokens` (most compatible servers only know the former). */
  legacyMaxTokens?: boolean;
  /** Parameters the server rejects; they are dropped from the body. */
  unsupported?: readonly string[];
  /** Whether the server honours `stream_options.include_usage`. */
  streamUsage?: boolean;
}

/** File inputs: https://platform.openai.com/docs/guides/pdf-files */
function encodeFile(part: FilePart): Record<string, unknown> {
  if (part.text !== undefined) return { type: 'text', text: part.text };
  const file: Record<string, unknown> = {};
  if (part.fileId) file.file_id = part.fileId;
  else if (part.data !== undefined) file.file_data = `data:${part.mediaType ?? 'application/pdf'};base64,${part.data}`;
  else throw new GatewayError('invalid_request', 'OpenAI chat takes files inline or by file id, not by URL; send the file data.', { param: 'messages' });
  if (part.filename) file.filename = part.filename;
  return { type: 'file', file };
}

function encodeContent(parts: ContentPart[]): string | Record<string, unknown>[] {
  if (parts.length === 1 && parts[0]?.type === 'text') return parts[0].text;
  return parts.map((part) => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    if (part.type === 'file') return encodeFile(part);
    const url = part.url ?? `data:${part.mediaType ?? 'image/png'};base64,${part.data ?? ''}`;
    return { type: 'image_url', image_url: part.detail ? { url, detail: part.detail } : { url } };
  });
}

function encodeMessage(message: Message): Record<string, unknown> {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      return { role: 'user', content: encodeContent(message.content) };
    case 'assistant': {
      const encoded: Record<string, unknown> = { role: 'assistant', content: message.content.length > 0 ? message.content.map((part) => part.text).join('') : null };
      if (message.toolCalls && message.toolCalls.length > 0) {
        encoded.tool_calls = message.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }));
      }
      return encoded;
    }
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  }
}

function encodeToolChoice(choice: ToolChoice): unknown {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

function encodeResponseFormat(format: ResponseFormat): unknown {
  if (format.type === 'text') return { type: 'text' };
  if (format.type === 'json') return { type: 'json_object' };
  const schema: Record<string, unknown> = { name: format.name, schema: format.schema };
  if (format.strict !== undefined) schema.strict = format.strict;
  if (format.description !== undefined) schema.description = format.description;
  return { type: 'json_schema', json_schema: schema };
}

export function convertToOpenAiRequest(request: ChatRequest, upstreamModel: string, quirks: OpenAiWireQuirks = {}): Record<string, unknown> {
  const body: Record<string, unknown> = { model: upstreamModel, messages: request.messages.map(encodeMessage) };
  if (request.tools && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => {
      const definition: Record<string, unknown> = { name: tool.name, parameters: tool.parameters };
      if (tool.description !== undefined) definition.description = tool.description;
      if (tool.strict !== undefined) definition.strict = tool.strict;
      return { type: 'function', function: definition };
    });
  }
  if (request.toolChoice !== undefined) body.tool_choice = encodeToolChoice(request.toolChoice);
  if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  if (request.responseFormat !== undefined) body.response_format = encodeResponseFormat(request.responseFormat);
  if (request.maxTokens !== undefined) body[quirks.legacyMaxTokens ? 'max_tokens' : 'max_completion_tokens'] = request.maxTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.stop !== undefined) body.stop = request.stop;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.user !== undefined) body.user = request.user;
  if (request.reasoningEffort !== undefined) body.reasoning_effort = request.reasoningEffort;
  if (request.stream) {
    body.stream = true;
    // Usage is always requested upstream: the ledger needs it even when the client did not ask.
    if (quirks.streamUsage !== false) body.stream_options = { include_usage: true };
  }
  for (const name of quirks.unsupported ?? []) delete body[name];
  return body;
}

export function convertToOpenAiEmbeddingRequest(request: EmbeddingRequest, upstreamModel: string): Record<string, unknown> {
  const body: Record<string, unknown> = { model: upstreamModel, input: request.input };
  if (request.dimensions !== undefined) body.dimensions = request.dimensions;
  if (request.user !== undefined) body.user = request.user;
  return body;
}
