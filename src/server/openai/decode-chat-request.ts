import type { AssistantMessage, ChatRequest, ContentPart, FilePart, Message, ToolCall, ResponseFormat, ToolChoice, ToolDefinition } from '../../core/canonical.js';
import { checkOpenAiOnlyFields, decodeReasoningEffort } from './decode-chat-options.js';
import { invalid, optionalBoolean, optionalNumber, optionalString, requireArray, requireObject, requireString, type Json } from './field-reader.js';

function decodeText(value: unknown, param: string): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return requireArray(value, param)
    .map((item, index) => requireString(requireObject(item, `${param}[${index}]`).text, `${param}[${index}].text`))
    .join('');
}

function decodeImage(part: Json, param: string): ContentPart {
  const image = typeof part.image_url === 'string' ? { url: part.image_url } : requireObject(part.image_url, `${param}.image_url`);
  const url = requireString(image.url, `${param}.image_url.url`);
  const decoded: ContentPart = { type: 'image', url };
  const match = /^data:([^;,]+);base64,/.exec(url);
  if (match) {
    decoded.mediaType = match[1] as string;
    decoded.data = url.slice(match[0].length);
  }
  if (image.detail === 'auto' || image.detail === 'low' || image.detail === 'high') decoded.detail = image.detail;
  return decoded;
}

function decodeUserContent(value: unknown, param: string): ContentPart[] {
  if (typeof value === 'string') return [{ type: 'text', text: value }];
  return requireArray(value, param).map((item, index): ContentPart | ContentPart[] => {
    const path = `${param}[${index}]`;
    const part = requireObject(item, path);
    if (part.type === 'text') return { type: 'text', text: requireString(part.text, `${path}.text`) };
    if (part.type === 'image_url') return decodeImage(part, path);
    if (part.type === 'file') return decodeFile(part, path);
    // Audio input reaches only an OpenAI-wire provider, in the native body; other targets refuse it by name.
    if (part.type === 'input_audio') {
      const audio = requireObject(part.input_audio, `${path}.input_audio`);
      requireString(audio.data, `${path}.input_audio.data`);
      return [];
    }
    throw invalid(`${path}.type`, `unsupported content part type ${JSON.stringify(part.type)}; use "text", "image_url", "file" or "input_audio".`);
  }).flat();
}

/** File inputs (https://platform.openai.com/docs/guides/pdf-files): inline as a data URL, or by uploaded file id. */
function decodeFile(part: Json, param: string): FilePart {
  const file = requireObject(part.file, `${param}.file`);
  const decoded: FilePart = { type: 'file' };
  const fileId = optionalString(file.file_id, `${param}.file.file_id`);
  const data = optionalString(file.file_data, `${param}.file.file_data`);
  const filename = optionalString(file.filename, `${param}.file.filename`);
  if (fileId === undefined && data === undefined) throw invalid(`${param}.file`, 'needs "file_data" or "file_id".');
  if (fileId !== undefined) decoded.fileId = fileId;
  if (data !== undefined) {
    const match = /^data:([^;,]+);base64,/.exec(data);
    if (match) {
      decoded.mediaType = match[1] as string;
      decoded.data = data.slice(match[0].length);
    } else decoded.data = data;
  }
  if (filename !== undefined) decoded.filename = filename;
  if (decoded.mediaType === undefined && filename?.toLowerCase().endsWith('.pdf')) decoded.mediaType = 'application/pdf';
  return decoded;
}

function decodeAssistant(message: Json, param: string): AssistantMessage {
  const text = decodeText(message.content, `${param}.content`);
  const decoded: AssistantMessage = { role: 'assistant', content: text ? [{ type: 'text', text }] : [] };
  if (message.tool_calls !== undefined && message.tool_calls !== null) {
    decoded.toolCalls = requireArray(message.tool_calls, `${param}.tool_calls`).map((item, index) => {
      const path = `${param}.tool_calls[${index}]`;
      const call = requireObject(item, path);
      const fn = requireObject(call.function, `${path}.function`);
      const decodedCall: ToolCall = { id: requireString(call.id, `${path}.id`), name: requireString(fn.name, `${path}.function.name`), arguments: optionalString(fn.arguments, `${path}.function.arguments`) ?? '' };
      const signature = geminiSignatureOf(call);
      if (signature !== undefined) decodedCall.providerMetadata = { gemini: { thoughtSignature: signature } };
      return decodedCall;
    });
  }
  return decoded;
}

/** A Gemini thought signature the client echoes on a tool call, as `extra_content.google.thought_signature`. */
function geminiSignatureOf(call: Json): string | undefined {
  const extra = call.extra_content;
  if (typeof extra !== 'object' || extra === null) return undefined;
  const google = (extra as Json).google;
  if (typeof google !== 'object' || google === null) return undefined;
  const signature = (google as Json).thought_signature;
  return typeof signature === 'string' && signature !== '' ? signature : undefined;
}

function decodeMessage(value: unknown, index: number): Message {
  const param = `messages[${index}]`;
  const message = requireObject(value, param);
  switch (message.role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: decodeText(message.content, `${param}.content`) };
    case 'user':
      return { role: 'user', content: decodeUserContent(message.content, `${param}.content`) };
    case 'assistant':
      return decodeAssistant(message, param);
    case 'tool':
      return { role: 'tool', toolCallId: requireString(message.tool_call_id, `${param}.tool_call_id`), content: decodeText(message.content, `${param}.content`) };
    default:
      throw invalid(`${param}.role`, `expected "system", "developer", "user", "assistant" or "tool", got ${JSON.stringify(message.role)}.`);
  }
}

function decodeTools(value: unknown): ToolDefinition[] {
  return requireArray(value, 'tools').map((item, index) => {
    const tool = requireObject(item, `tools[${index}]`);
    if (tool.type !== 'function') throw invalid(`tools[${index}].type`, 'only "function" tools are supported.');
    const fn = requireObject(tool.function, `tools[${index}].function`);
    const definition: ToolDefinition = {
      name: requireString(fn.name, `tools[${index}].function.name`),
      parameters: fn.parameters === undefined ? { type: 'object', properties: {} } : requireObject(fn.parameters, `tools[${index}].function.parameters`),
    };
    const description = optionalString(fn.description, `tools[${index}].function.description`);
    if (description !== undefined) definition.description = description;
    const strict = optionalBoolean(fn.strict, `tools[${index}].function.strict`);
    if (strict !== undefined) definition.strict = strict;
    return definition;
  });
}

function decodeToolChoice(value: unknown): ToolChoice {
  if (value === 'auto' || value === 'none' || value === 'required') return value;
  const choice = requireObject(value, 'tool_choice');
  return { name: requireString(requireObject(choice.function, 'tool_choice.function').name, 'tool_choice.function.name') };
}

function decodeResponseFormat(value: unknown): ResponseFormat {
  const format = requireObject(value, 'response_format');
  if (format.type === 'text') return { type: 'text' };
  if (format.type === 'json_object') return { type: 'json' };
  if (format.type !== 'json_schema') throw invalid('response_format.type', 'expected "text", "json_object" or "json_schema".');
  const schema = requireObject(format.json_schema, 'response_format.json_schema');
  const decoded: ResponseFormat = { type: 'json-schema', name: requireString(schema.name, 'response_format.json_schema.name'), schema: schema.schema === undefined ? {} : requireObject(schema.schema, 'response_format.json_schema.schema') };
  const strict = optionalBoolean(schema.strict, 'response_format.json_schema.strict');
  if (strict !== undefined) decoded.strict = strict;
  const description = optionalString(schema.description, 'response_format.json_schema.description');
  if (description !== undefined) decoded.description = description;
  return decoded;
}

function decodeStop(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return [value];
  return requireArray(value, 'stop').map((item, index) => requireString(item, `stop[${index}]`));
}

/** Decodes an OpenAI Chat Completions body into the canonical request, naming the field of every problem. */
export function decodeChatRequest(value: unknown): ChatRequest {
  const body = requireObject(value, 'body');
  const model = requireString(body.model, 'model');
  if (model.length === 0) throw invalid('model', 'must not be empty.');
  const messages = requireArray(body.messages, 'messages');
  if (messages.length === 0) throw invalid('messages', 'must contain at least one message.');
  const request: ChatRequest = { model, messages: messages.map(decodeMessage), stream: optionalBoolean(body.stream, 'stream') ?? false };
  if (body.tools !== undefined && body.tools !== null) request.tools = decodeTools(body.tools);
  if (body.tool_choice !== undefined && body.tool_choice !== null) request.toolChoice = decodeToolChoice(body.tool_choice);
  const parallel = optionalBoolean(body.parallel_tool_calls, 'parallel_tool_calls');
  if (parallel !== undefined) request.parallelToolCalls = parallel;
  if (body.response_format !== undefined && body.response_format !== null) request.responseFormat = decodeResponseFormat(body.response_format);
  const maxTokens = optionalNumber(body.max_completion_tokens, 'max_completion_tokens', { min: 1, integer: true }) ?? optionalNumber(body.max_tokens, 'max_tokens', { min: 1, integer: true });
  if (maxTokens !== undefined) request.maxTokens = maxTokens;
  const temperature = optionalNumber(body.temperature, 'temperature', { min: 0, max: 2 });
  if (temperature !== undefined) request.temperature = temperature;
  const topP = optionalNumber(body.top_p, 'top_p', { min: 0, max: 1 });
  if (topP !== undefined) request.topP = topP;
  const stop = decodeStop(body.stop);
  if (stop !== undefined) request.stop = stop;
  const seed = optionalNumber(body.seed, 'seed', { integer: true });
  if (seed !== undefined) request.seed = seed;
  const user = optionalString(body.user, 'user');
  if (user !== undefined) request.user = user;
  const effort = decodeReasoningEffort(body);
  if (effort !== undefined) request.reasoningEffort = effort;
  checkOpenAiOnlyFields(body);
  if (request.stream && body.stream_options !== undefined && body.stream_options !== null) {
    request.streamUsage = optionalBoolean(requireObject(body.stream_options, 'stream_options').include_usage, 'stream_options.include_usage') ?? false;
  }
  // Every field, modelled or not, reaches an OpenAI-wire provider as the client wrote it.
  request.native = { format: 'openai-chat', body };
  return request;
}
