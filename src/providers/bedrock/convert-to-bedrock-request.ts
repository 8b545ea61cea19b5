import type { AssistantMessage, ChatRequest, ContentPart, FilePart, ImagePart, ResponseFormat, ToolMessage } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';

/** The Converse request body. https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html */
export type BedrockImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';

export type BedrockContentBlock =
  | { text: string }
  | { image: { format: BedrockImageFormat; source: { bytes: string } } }
  | { document: { format: string; name: string; source: { bytes: string } } }
  | { toolUse: { toolUseId: string; name: string; input: unknown } }
  | { toolResult: { toolUseId: string; content: Array<{ text: string }>; status?: 'error' } };

export interface BedrockMessage {
  role: 'user' | 'assistant';
  content: BedrockContentBlock[];
}

export type BedrockToolChoice = { auto: Record<string, never> } | { any: Record<string, never> } | { tool: { name: string } };

export interface BedrockToolConfig {
  tools: Array<{ toolSpec: { name: string; description?: string; inputSchema: { json: Record<string, unknown> } } }>;
  toolChoice?: BedrockToolChoice;
}

export interface BedrockConverseRequest {
  messages: BedrockMessage[];
  system?: Array<{ text: string }>;
  inferenceConfig?: { maxTokens?: number; temperature?: number; topP?: number; stopSequences?: string[] };
  toolConfig?: BedrockToolConfig;
}

const formatsByMediaType: Record<string, BedrockImageFormat> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

function invalid(message: string, param?: string): GatewayError {
  return new GatewayError('invalid_request', message, param === undefined ? {} : { param });
}

const documentFormats: Record<string, string> = { 'application/pdf': 'pdf', 'text/plain': 'txt', 'text/csv': 'csv', 'text/html': 'html', 'text/markdown': 'md' };

/** Document blocks: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_DocumentBlock.html */
function documentBlock(part: FilePart): BedrockContentBlock {
  const format = documentFormats[part.mediaType ?? 'application/pdf'];
  if (!format) throw invalid(`Bedrock takes pdf, txt, csv, html and md documents, not ${part.mediaType}.`, 'messages');
  const bytes = part.data ?? (part.text !== undefined ? Buffer.from(part.text).toString('base64') : undefined);
  if (bytes === undefined) throw invalid('Bedrock takes documents inline only; send the file data.', 'messages');
  // Document names allow letters, digits, spaces, hyphens, parentheses and brackets only.
  const name = (part.filename ?? 'document').replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9 ()\[\]-]/g, '-') || 'document';
  return { document: { format, name, source: { bytes } } };
}

function imageBlock(part: ImagePart): BedrockContentBlock {
  let data = part.data;
  let mediaType = part.mediaType;
  if (data === undefined) {
    const match = part.url ? /^data:([^;,]+);base64,(.*)$/s.exec(part.url) : null;
    // Converse takes image bytes only, never a link. https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ImageSource.html
    if (!match) throw invalid('Bedrock needs images inline as base64 data (a data: URL); it cannot fetch image URLs.', 'messages');
    mediaType = match[1];
    data = match[2];
  }
  const format = mediaType ? formatsByMediaType[mediaType.toLowerCase()] : undefined;
  if (!format) throw invalid(`Bedrock accepts png, jpeg, gif and webp images, not ${mediaType ?? 'an image without a media type'}.`, 'messages');
  return { image: { format, source: { bytes: data ?? '' } } };
}

function userBlocks(content: ContentPart[]): BedrockContentBlock[] {
  const blocks: BedrockContentBlock[] = [];
  for (const part of content) {
    if (part.type === 'image') blocks.push(imageBlock(part));
    else if (part.type === 'file') blocks.push(documentBlock(part));
    // Converse rejects blank text blocks.
    else if (part.text !== '') blocks.push({ text: part.text });
  }
  return blocks;
}

function parseArguments(text: string, name: string): unknown {
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
  } catch {
    // Reported below.
  }
  throw invalid(`The arguments of the earlier call to tool '${name}' are not a JSON object; Bedrock needs them as one.`, 'messages');
}

function assistantBlocks(message: AssistantMessage): BedrockContentBlock[] {
  // Earlier reasoning is dropped: Bedrock only accepts it back with the signature the gateway does not keep.
  const blocks: BedrockContentBlock[] = message.content.filter((part) => part.text !== '').map((part) => ({ text: part.text }));
  for (const call of message.toolCalls ?? []) {
    blocks.push({ toolUse: { toolUseId: call.id, name: call.name, input: parseArguments(call.arguments, call.name) } });
  }
  return blocks;
}

function toolResultBlock(message: ToolMessage): BedrockContentBlock {
  const result: { toolUseId: string; content: Array<{ text: string }>; status?: 'error' } = {
    toolUseId: message.toolCallId,
    content: [{ text: message.content }],
  };
  if (message.isError) result.status = 'error';
  return { toolResult: result };
}

/** Converse wants strictly alternating roles, so consecutive same-role messages (tool results included) are merged. */
function convertMessages(request: ChatRequest): { system: Array<{ text: string }>; messages: BedrockMessage[] } {
  const system: Array<{ text: string }> = [];
  const messages: BedrockMessage[] = [];
  for (const message of request.messages) {
    if (message.role === 'system') {
      if (message.content !== '') system.push({ text: message.content });
      continue;
    }
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const blocks =
      message.role === 'user' ? userBlocks(message.content) : message.role === 'assistant' ? assistantBlocks(message) : [toolResultBlock(message)];
    if (blocks.length === 0) continue;
    const last = messages[messages.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  }
  return { system, messages };
}

/** Converse has no JSON mode for every model, so JSON output is asked for in the system prompt. */
function jsonInstruction(format: ResponseFormat | undefined): string | undefined {
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json') return 'Respond only with a single valid JSON object, with no text before or after it.';
  const description = format.description ? ` (${format.description})` : '';
  return `Respond only with a single valid JSON value${description} that conforms to this JSON Schema, with no text before or after it:\n${JSON.stringify(format.schema)}`;
}

function hasToolBlocks(messages: BedrockMessage[]): boolean {
  return messages.some((message) => message.content.some((block) => 'toolUse' in block || 'toolResult' in block));
}

function toolChoiceOf(choice: ChatRequest['toolChoice']): BedrockToolChoice | undefined {
  if (choice === undefined) return undefined;
  if (choice === 'auto') return { auto: {} };
  if (choice === 'required') return { any: {} };
  if (choice === 'none') return undefined;
  return { tool: { name: choice.name } };
}

/**
 * Converse has no "none" tool choice, so `none` leaves the tools out; but when the history holds tool
 * blocks Converse requires `toolConfig`, so the tools are then sent without a choice (the model may still call one).
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ToolChoice.html
 */
function toolConfigOf(request: ChatRequest, messages: BedrockMessage[]): BedrockToolConfig | undefined {
  const tools = request.tools ?? [];
  if (tools.length === 0) return undefined;
  if (request.toolChoice === 'none' && !hasToolBlocks(messages)) return undefined;
  const config: BedrockToolConfig = {
    tools: tools.map((tool) => ({
      toolSpec: {
        name: tool.name,
        ...(tool.description ? { description: tool.description } : {}),
        inputSchema: { json: tool.parameters },
      },
    })),
  };
  const choice = toolChoiceOf(request.toolChoice);
  if (choice) config.toolChoice = choice;
  return config;
}

export function convertToBedrockRequest(request: ChatRequest): BedrockConverseRequest {
  const { system, messages } = convertMessages(request);
  const instruction = jsonInstruction(request.responseFormat);
  if (instruction) system.push({ text: instruction });
  const body: BedrockConverseRequest = { messages };
  if (system.length > 0) body.system = system;
  const inference: NonNullable<BedrockConverseRequest['inferenceConfig']> = {};
  if (request.maxTokens !== undefined) inference.maxTokens = request.maxTokens;
  if (request.temperature !== undefined) inference.temperature = request.temperature;
  if (request.topP !== undefined) inference.topP = request.topP;
  if (request.stop && request.stop.length > 0) inference.stopSequences = request.stop;
  if (Object.keys(inference).length > 0) body.inferenceConfig = inference;
  const toolConfig = toolConfigOf(request, messages);
  if (toolConfig) body.toolConfig = toolConfig;
  return body;
}
