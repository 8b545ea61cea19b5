import type { AssistantMessage, CacheBreakpoint, ChatRequest, ContentPart, FilePart, ImagePart, ResponseFormat, ToolMessage } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import { cachePoint, cachePointSupport, checkCachePointCount, type BedrockCachePoint, type CachePointSupport } from './bedrock-cache-points.js';

/** The Converse request body. https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html */
export type BedrockImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';

export type BedrockContentBlock =
  | { text: string }
  | { image: { format: BedrockImageFormat; source: { bytes: string } } }
  | { document: { format: string; name: string; source: { bytes: string } } }
  | { toolUse: { toolUseId: string; name: string; input: unknown } }
  | { toolResult: { toolUseId: string; content: Array<{ text: string }>; status?: 'error' } }
  | { cachePoint: BedrockCachePoint };

export type BedrockSystemBlock = { text: string } | { cachePoint: BedrockCachePoint };

export type BedrockTool = { toolSpec: { name: string; description?: string; inputSchema: { json: Record<string, unknown> } } } | { cachePoint: BedrockCachePoint };

export interface BedrockMessage {
  role: 'user' | 'assistant';
  content: BedrockContentBlock[];
}

export type BedrockToolChoice = { auto: Record<string, never> } | { any: Record<string, never> } | { tool: { name: string } };

export interface BedrockToolConfig {
  tools: BedrockTool[];
  toolChoice?: BedrockToolChoice;
}

export interface BedrockConverseRequest {
  messages: BedrockMessage[];
  system?: BedrockSystemBlock[];
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

/** What the upstream model takes of the cache markers (see `cachePointSupport`); undefined drops them all. */
interface Marks {
  support: CachePointSupport | undefined;
}

/** A checkpoint goes right after the block it marks, in system, message content and tools alike. */
function markAfter(blocks: object[], cache: CacheBreakpoint | undefined, marks: Marks): void {
  if (cache && marks.support) blocks.push(cachePoint(cache));
}

function userBlocks(content: ContentPart[], marks: Marks): BedrockContentBlock[] {
  const blocks: BedrockContentBlock[] = [];
  for (const part of content) {
    if (part.type === 'image') blocks.push(imageBlock(part));
    else if (part.type === 'file') blocks.push(documentBlock(part));
    // Converse rejects blank text blocks, and a checkpoint needs content before it.
    else if (part.text === '') continue;
    else blocks.push({ text: part.text });
    markAfter(blocks, part.cache, marks);
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

function assistantBlocks(message: AssistantMessage, marks: Marks): BedrockContentBlock[] {
  // Earlier reasoning is dropped: Bedrock only accepts it back with the signature the gateway does not keep.
  const blocks: BedrockContentBlock[] = [];
  for (const part of message.content) {
    if (part.text === '') continue;
    blocks.push({ text: part.text });
    markAfter(blocks, part.cache, marks);
  }
  for (const call of message.toolCalls ?? []) {
    blocks.push({ toolUse: { toolUseId: call.id, name: call.name, input: parseArguments(call.arguments, call.name) } });
  }
  return blocks;
}

function toolResultBlocks(message: ToolMessage, marks: Marks): BedrockContentBlock[] {
  const result: { toolUseId: string; content: Array<{ text: string }>; status?: 'error' } = {
    toolUseId: message.toolCallId,
    content: [{ text: message.content }],
  };
  if (message.isError) result.status = 'error';
  const blocks: BedrockContentBlock[] = [{ toolResult: result }];
  markAfter(blocks, message.cache, marks);
  return blocks;
}

/** Converse wants strictly alternating roles, so consecutive same-role messages (tool results included) are merged. */
function convertMessages(request: ChatRequest, marks: Marks): { system: BedrockSystemBlock[]; messages: BedrockMessage[] } {
  const system: BedrockSystemBlock[] = [];
  const messages: BedrockMessage[] = [];
  for (const message of request.messages) {
    if (message.role === 'system') {
      if (message.content === '') continue;
      system.push({ text: message.content });
      markAfter(system, message.cache, marks);
      continue;
    }
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const blocks =
      message.role === 'user' ? userBlocks(message.content, marks) : message.role === 'assistant' ? assistantBlocks(message, marks) : toolResultBlocks(message, marks);
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
function toolConfigOf(request: ChatRequest, messages: BedrockMessage[], marks: Marks): BedrockToolConfig | undefined {
  const tools = request.tools ?? [];
  if (tools.length === 0) return undefined;
  if (request.toolChoice === 'none' && !hasToolBlocks(messages)) return undefined;
  const config: BedrockToolConfig = {
    tools: tools.map((tool): BedrockTool => ({
      toolSpec: {
        name: tool.name,
        ...(tool.description ? { description: tool.description } : {}),
        inputSchema: { json: tool.parameters },
      },
    })),
  };
  if (marks.support?.tools) markAfter(config.tools, request.cacheTools, marks);
  const choice = toolChoiceOf(request.toolChoice);
  if (choice) config.toolChoice = choice;
  return config;
}

function countCachePoints(body: BedrockConverseRequest): number {
  const blocks: object[] = [...(body.system ?? []), ...(body.toolConfig?.tools ?? []), ...body.messages.flatMap((message) => message.content)];
  return blocks.filter((block) => 'cachePoint' in block).length;
}

/**
 * The Converse body. Cache markers become `cachePoint` blocks after the marked block when the upstream model takes
 * them (see `cachePointSupport`); for any other model, and when no model is given, they are dropped.
 */
export function convertToBedrockRequest(request: ChatRequest, upstreamModel?: string): BedrockConverseRequest {
  const marks: Marks = { support: upstreamModel === undefined ? undefined : cachePointSupport(upstreamModel) };
  const { system, messages } = convertMessages(request, marks);
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
  const toolConfig = toolConfigOf(request, messages, marks);
  if (toolConfig) body.toolConfig = toolConfig;
  checkCachePointCount(countCachePoints(body));
  return body;
}
