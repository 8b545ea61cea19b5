import type { AssistantMessage, ChatRequest, ContentPart, FilePart, ImagePart, Message, ResponseFormat, SystemMessage, ToolCall, ToolChoice } from '../../core/canonical.js';
import { cacheControl } from './anthropic-prompt-cache.js';
import { GatewayError } from '../../core/errors.js';

type AnthropicBlock = { type: string } & Record<string, unknown>;

interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: AnthropicBlock[];
}

/** Anthropic requires `max_tokens`; this applies when the client sets none. */
export const defaultMaxTokens = 4096;

const thinkingBudgets: Record<string, number | undefined> = { minimal: 1024, low: 1024, medium: 4096, high: 16384 };

function invalid(message: string, param?: string): GatewayError {
  return new GatewayError('invalid_request', message, { param });
}

function thinkingBudgetFor(effort: string | undefined): number | undefined {
  if (effort === undefined || effort === 'none') return undefined;
  const budget = thinkingBudgets[effort];
  if (budget === undefined) throw invalid(`reasoning_effort "${effort}" is not supported for Anthropic models; use low, medium or high.`, 'reasoning_effort');
  return budget;
}

/** The thinking budget counts against `max_tokens` and must be below it, so the requested answer length is added on top when needed. */
function maxTokensFor(requested: number | undefined, thinkingBudget: number | undefined): number {
  const base = requested ?? defaultMaxTokens;
  if (thinkingBudget === undefined || base > thinkingBudget) return base;
  return thinkingBudget + base;
}

// The classic Messages API has no JSON mode, so JSON output is asked for in the system prompt: https://docs.anthropic.com/en/docs/test-and-evaluate/strengthen-guardrails/increase-consistency
function jsonInstruction(format: ResponseFormat | undefined): string | undefined {
  if (format === undefined || format.type === 'text') return undefined;
  const base = 'Respond with a single valid JSON value and nothing else: no prose, no Markdown code fences.';
  if (format.type === 'json') return base;
  const described = format.description ? ` (${format.description})` : '';
  return `${base} The JSON must match this JSON Schema named "${format.name}"${described}:\n${JSON.stringify(format.schema)}`;
}

/** The system messages before the first turn; later ones are sent as user text (see `convertMessages`). */
function leadingSystem(messages: Message[]): SystemMessage[] {
  const index = messages.findIndex((message) => message.role !== 'system');
  return (index === -1 ? messages : messages.slice(0, index)) as SystemMessage[];
}

/** System text blocks, each keeping its cache breakpoint: https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching */
function systemBlocks(request: ChatRequest): AnthropicBlock[] | string | undefined {
  const blocks = leadingSystem(request.messages).flatMap((message): AnthropicBlock[] => {
    if (message.content === '') return [];
    const block: AnthropicBlock = { type: 'text', text: message.content };
    if (message.cache) block.cache_control = cacheControl(message.cache);
    return [block];
  });
  const instruction = jsonInstruction(request.responseFormat);
  if (instruction) blocks.push({ type: 'text', text: instruction });
  if (blocks.length === 0) return undefined;
  // Without breakpoints the plain string form is enough.
  return blocks.some((block) => block.cache_control) ? blocks : blocks.map((block) => block.text).join('\n\n');
}

function parseDataUrl(url: string): { mediaType: string; data: string } {
  const comma = url.indexOf(',');
  const header = comma === -1 ? '' : url.slice('data:'.length, comma);
  if (!header.endsWith(';base64')) throw invalid('Image data URLs must be base64-encoded (data:<media type>;base64,<data>).', 'messages');
  const mediaType = header.split(';')[0] ?? '';
  if (mediaType === '') throw invalid('Image data URL has no media type.', 'messages');
  return { mediaType, data: url.slice(comma + 1) };
}

/** Image sources: https://docs.anthropic.com/en/docs/build-with-claude/vision */
function imageBlock(part: ImagePart): AnthropicBlock {
  if (part.data !== undefined) {
    if (!part.mediaType) throw invalid('An inline image needs a media type for Anthropic models.', 'messages');
    return { type: 'image', source: { type: 'base64', media_type: part.mediaType, data: part.data } };
  }
  if (part.url?.startsWith('data:')) {
    const { mediaType, data } = parseDataUrl(part.url);
    return { type: 'image', source: { type: 'base64', media_type: mediaType, data } };
  }
  if (part.url) return { type: 'image', source: { type: 'url', url: part.url } };
  throw invalid('An image part has neither a URL nor data.', 'messages');
}

/** Document sources: https://docs.anthropic.com/en/docs/build-with-claude/pdf-support */
function documentBlock(part: FilePart): AnthropicBlock {
  let source: Record<string, unknown>;
  if (part.fileId !== undefined) source = { type: 'file', file_id: part.fileId };
  else if (part.data !== undefined) source = { type: 'base64', media_type: part.mediaType ?? 'application/pdf', data: part.data };
  else if (part.text !== undefined) source = { type: 'text', media_type: 'text/plain', data: part.text };
  else if (part.url !== undefined) source = { type: 'url', url: part.url };
  else throw invalid('A file part has no data, text, URL or file id.', 'messages');
  const block: AnthropicBlock = { type: 'document', source };
  if (part.filename) block.title = part.filename;
  return block;
}

function contentBlocks(parts: ContentPart[]): AnthropicBlock[] {
  // Anthropic rejects empty text blocks.
  return parts.flatMap((part): AnthropicBlock[] => {
    let block: AnthropicBlock;
    if (part.type === 'image') block = imageBlock(part);
    else if (part.type === 'file') block = documentBlock(part);
    else if (part.text === '') return [];
    else block = { type: 'text', text: part.text };
    if (part.cache) block.cache_control = cacheControl(part.cache);
    return [block];
  });
}

/**
 * Thinking goes back with its signature and redacted thinking with its data, as Anthropic requires in tool loops
 * (https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking#preserving-thinking-blocks). Reasoning of
 * other formats, or without a signature, is dropped: Anthropic rejects unsigned thinking blocks.
 */
function reasoningBlocks(message: AssistantMessage): AnthropicBlock[] {
  return (message.reasoningParts ?? []).flatMap((part): AnthropicBlock[] => {
    if (part.format !== 'anthropic') return [];
    if (part.encrypted !== undefined) return [{ type: 'redacted_thinking', data: part.encrypted }];
    return part.signature !== undefined ? [{ type: 'thinking', thinking: part.text, signature: part.signature }] : [];
  });
}

function toolInput(call: ToolCall): Record<string, unknown> {
  if (call.arguments.trim() === '') return {};
  let input: unknown;
  try {
    input = JSON.parse(call.arguments);
  } catch {
    throw invalid(`The arguments of tool call "${call.id}" (${call.name}) are not valid JSON.`, 'messages');
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalid(`The arguments of tool call "${call.id}" (${call.name}) must be a JSON object.`, 'messages');
  }
  return input as Record<string, unknown>;
}

/**
 * A system message after the conversation started has no place in the Messages API, whose `system` is one prompt
 * before every turn: it is sent as a user text block at its position, which keeps its order and its cache breakpoint.
 */
function convertMessage(message: Message): AnthropicMessage {
  if (message.role === 'system') return { role: 'user', content: contentBlocks([{ type: 'text', text: message.content, ...(message.cache ? { cache: message.cache } : {}) }]) };
  if (message.role === 'user') return { role: 'user', content: contentBlocks(message.content) };
  if (message.role === 'tool') {
    const result: AnthropicBlock = { type: 'tool_result', tool_use_id: message.toolCallId };
    if (message.content !== '') result.content = message.content;
    if (message.isError) result.is_error = true;
    if (message.cache) result.cache_control = cacheControl(message.cache);
    return { role: 'user', content: [result] };
  }
  const toolUses = (message.toolCalls ?? []).map((call): AnthropicBlock => ({ type: 'tool_use', id: call.id, name: call.name, input: toolInput(call) }));
  return { role: 'assistant', content: [...reasoningBlocks(message), ...contentBlocks(message.content), ...toolUses] };
}

/** Tool results must open a user turn: https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use */
function merge(role: AnthropicMessage['role'], first: AnthropicBlock[], second: AnthropicBlock[]): AnthropicBlock[] {
  const blocks = [...first, ...second];
  if (role === 'assistant') return blocks;
  return [...blocks.filter((block) => block.type === 'tool_result'), ...blocks.filter((block) => block.type !== 'tool_result')];
}

function convertMessages(messages: Message[]): AnthropicMessage[] {
  const converted: AnthropicMessage[] = [];
  for (const message of messages.slice(leadingSystem(messages).length)) {
    const next = convertMessage(message);
    if (next.content.length === 0) continue;
    const previous = converted.at(-1);
    if (previous && previous.role === next.role) previous.content = merge(next.role, previous.content, next.content);
    else converted.push(next);
  }
  return converted;
}

/** Tool choice: https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use#forcing-tool-use */
function toolChoiceFor(choice: ToolChoice | undefined, parallelToolCalls: boolean | undefined): Record<string, unknown> | undefined {
  if (choice === 'none') return { type: 'none' };
  let converted: Record<string, unknown> | undefined;
  if (choice === 'auto' || (choice === undefined && parallelToolCalls === false)) converted = { type: 'auto' };
  else if (choice === 'required') converted = { type: 'any' };
  else if (choice !== undefined) converted = { type: 'tool', name: choice.name };
  if (converted && parallelToolCalls === false) converted.disable_parallel_tool_use = true;
  return converted;
}

function addTools(body: Record<string, unknown>, request: ChatRequest): void {
  if (!request.tools || request.tools.length === 0) return;
  const tools: Record<string, unknown>[] = request.tools.map((tool) => {
    const converted: Record<string, unknown> = { name: tool.name, input_schema: { type: 'object', ...tool.parameters } };
    if (tool.description) converted.description = tool.description;
    return converted;
  });
  body.tools = tools;
  const last = tools.at(-1);
  if (request.cacheTools && last) last.cache_control = cacheControl(request.cacheTools);
  const toolChoice = toolChoiceFor(request.toolChoice, request.parallelToolCalls);
  if (toolChoice) body.tool_choice = toolChoice;
}

/** Builds the Messages API body (https://docs.anthropic.com/en/api/messages). `seed` has no Anthropic equivalent. */
export function convertToAnthropicRequest(request: ChatRequest, upstreamModel: string): Record<string, unknown> {
  const thinkingBudget = thinkingBudgetFor(request.reasoningEffort);
  const body: Record<string, unknown> = { model: upstreamModel, max_tokens: maxTokensFor(request.maxTokens, thinkingBudget) };
  const system = systemBlocks(request);
  if (system) body.system = system;
  body.messages = convertMessages(request.messages);
  if (thinkingBudget !== undefined) {
    // Thinking rejects custom temperature and top_p: https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking#feature-compatibility
    body.thinking = { type: 'enabled', budget_tokens: thinkingBudget };
  } else {
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.topP !== undefined) body.top_p = request.topP;
  }
  if (request.stop && request.stop.length > 0) body.stop_sequences = request.stop;
  addTools(body, request);
  if (request.user) body.metadata = { user_id: request.user };
  if (request.stream) body.stream = true;
  return body;
}
