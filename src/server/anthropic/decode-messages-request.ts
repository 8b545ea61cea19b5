import type { IncomingHttpHeaders } from 'node:http';
import type { AssistantMessage, ChatRequest, ContentPart, Message, ReasoningPart, SystemMessage, ToolCall, ToolDefinition, ToolMessage } from '../../core/canonical.js';
import { decodeCacheControl, decodeContentBlock, decodeReasoning, decodeToolResult, decodeToolUse, isPresent, unsupportedBlock } from './decode-messages-content.js';
import { invalid, optionalBoolean, optionalNumber, optionalString, requireArray, requireObject, requireString, type Json } from '../openai/field-reader.js';

/** Tool results become canonical tool messages ahead of the rest of the turn, which every provider accepts. */
function decodeUserTurn(content: unknown, path: string): Message[] {
  if (typeof content === 'string') return [{ role: 'user', content: [{ type: 'text', text: content }] }];
  const results: ToolMessage[] = [];
  const parts: ContentPart[] = [];
  requireArray(content, path).forEach((item, index) => {
    const blockPath = `${path}[${index}]`;
    const block = requireObject(item, blockPath);
    const part = decodeContentBlock(block, blockPath);
    if (part) parts.push(part);
    else if (block.type === 'tool_result') {
      const { message, attachments } = decodeToolResult(block, blockPath);
      results.push(message);
      parts.push(...attachments);
    } else unsupportedBlock(block.type, blockPath, '"text", "image", "document" or "tool_result" in user messages');
  });
  if (parts.length === 0 && results.length > 0) return results;
  return [...results, { role: 'user', content: parts }];
}

function decodeAssistantTurn(content: unknown, path: string): AssistantMessage {
  if (typeof content === 'string') return { role: 'assistant', content: content === '' ? [] : [{ type: 'text', text: content }] };
  const message: AssistantMessage = { role: 'assistant', content: [] };
  const toolCalls: ToolCall[] = [];
  const reasoning: ReasoningPart[] = [];
  requireArray(content, path).forEach((item, index) => {
    const blockPath = `${path}[${index}]`;
    const block = requireObject(item, blockPath);
    if (block.type === 'text') message.content.push({ type: 'text', text: requireString(block.text, `${blockPath}.text`) });
    else if (block.type === 'tool_use') toolCalls.push(decodeToolUse(block, blockPath));
    else if (block.type === 'thinking' || block.type === 'redacted_thinking') reasoning.push(decodeReasoning(block, blockPath));
    // Server tool blocks (server_tool_use, web_search_tool_result, ...) only mean something to Anthropic, which gets them in the native body.
    else if (typeof block.type !== 'string' || !serverBlockTypes.test(block.type)) {
      unsupportedBlock(block.type, blockPath, '"text", "tool_use", "thinking" or "redacted_thinking" in assistant messages');
    }
  });
  if (toolCalls.length > 0) message.toolCalls = toolCalls;
  if (reasoning.length > 0) {
    message.reasoningParts = reasoning;
    const text = reasoning.map((part) => part.text).join('');
    if (text !== '') message.reasoning = text;
  }
  return message;
}

const serverBlockTypes = /^(server_tool_use|mcp_tool_use|mcp_tool_result|container_upload|[a-z_]+_tool_result)$/;

function systemBlocks(value: unknown, path: string): SystemMessage[] {
  if (typeof value === 'string') return value === '' ? [] : [{ role: 'system', content: value }];
  if (!Array.isArray(value)) throw invalid(path, 'expected a string or an array of text blocks.');
  return value.flatMap((item, index): SystemMessage[] => {
    const blockPath = `${path}[${index}]`;
    const block = requireObject(item, blockPath);
    if (block.type !== 'text') throw invalid(`${blockPath}.type`, `expected "text", got ${JSON.stringify(block.type)}.`);
    const message: SystemMessage = { role: 'system', content: requireString(block.text, `${blockPath}.text`) };
    const cache = decodeCacheControl(block, blockPath);
    if (cache) message.cache = cache;
    return message.content === '' && !cache ? [] : [message];
  });
}

function decodeMessage(value: unknown, index: number): Message[] {
  const path = `messages[${index}]`;
  const message = requireObject(value, path);
  if (typeof message.content !== 'string' && !Array.isArray(message.content)) {
    throw invalid(`${path}.content`, 'expected a string or an array of content blocks.');
  }
  if (message.role === 'user') return decodeUserTurn(message.content, `${path}.content`);
  if (message.role === 'assistant') return [decodeAssistantTurn(message.content, `${path}.content`)];
  // Claude Code sends system reminders as messages of role system in the middle of the conversation.
  if (message.role === 'system') return systemBlocks(message.content, `${path}.content`);
  throw invalid(`${path}.role`, `expected "user", "assistant" or "system", got ${JSON.stringify(message.role)}.`);
}

function decodeSystem(value: unknown): SystemMessage[] {
  return isPresent(value) ? systemBlocks(value, 'system') : [];
}

/** Server tools (web search, code execution, ...) run at Anthropic; only the native body carries them. */
function decodeTool(value: unknown, index: number, request: ChatRequest): ToolDefinition | undefined {
  const path = `tools[${index}]`;
  const tool = requireObject(value, path);
  if (isPresent(tool.type) && tool.type !== 'custom') {
    requireString(tool.type, `${path}.type`);
    return undefined;
  }
  const definition: ToolDefinition = { name: requireString(tool.name, `${path}.name`), parameters: requireObject(tool.input_schema, `${path}.input_schema`) };
  const description = optionalString(tool.description, `${path}.description`);
  if (description !== undefined) definition.description = description;
  const strict = optionalBoolean(tool.strict, `${path}.strict`);
  if (strict !== undefined) definition.strict = strict;
  const cache = decodeCacheControl(tool, path);
  if (cache) request.cacheTools = cache;
  return definition;
}

/** Tool choice: https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use#forcing-tool-use */
function decodeToolChoice(value: unknown, request: ChatRequest): void {
  const choice = requireObject(value, 'tool_choice');
  if (choice.type === 'none') {
    request.toolChoice = 'none';
    return;
  }
  if (choice.type === 'auto') request.toolChoice = 'auto';
  else if (choice.type === 'any') request.toolChoice = 'required';
  else if (choice.type === 'tool') request.toolChoice = { name: requireString(choice.name, 'tool_choice.name') };
  else throw invalid('tool_choice.type', `expected "auto", "any", "tool" or "none", got ${JSON.stringify(choice.type)}.`);
  if (optionalBoolean(choice.disable_parallel_tool_use, 'tool_choice.disable_parallel_tool_use') === true) request.parallelToolCalls = false;
}

function effortForBudget(budget: number): string {
  if (budget <= 2048) return 'low';
  return budget <= 8192 ? 'medium' : 'high';
}

/** Extended thinking: https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking */
function decodeThinking(body: Json): string | undefined {
  if (!isPresent(body.thinking)) return undefined;
  const thinking = requireObject(body.thinking, 'thinking');
  if (thinking.type === 'disabled') return undefined;
  if (thinking.type === 'adaptive') {
    // Adaptive thinking takes its depth from output_config.effort, whose top level "max" is "high" canonically.
    const config: Json = isPresent(body.output_config) ? requireObject(body.output_config, 'output_config') : {};
    const effort = optionalString(config.effort, 'output_config.effort') ?? 'medium';
    return effort === 'max' ? 'high' : effort;
  }
  if (thinking.type !== 'enabled') throw invalid('thinking.type', `expected "enabled", "adaptive" or "disabled", got ${JSON.stringify(thinking.type)}.`);
  const budget = optionalNumber(thinking.budget_tokens, 'thinking.budget_tokens', { min: 1, integer: true });
  if (budget === undefined) throw invalid('thinking.budget_tokens', 'is required when thinking is enabled.');
  return effortForBudget(budget);
}

function decodeSampling(body: Json, request: ChatRequest): void {
  const temperature = optionalNumber(body.temperature, 'temperature', { min: 0, max: 1 });
  if (temperature !== undefined) request.temperature = temperature;
  const topP = optionalNumber(body.top_p, 'top_p', { min: 0, max: 1 });
  if (topP !== undefined) request.topP = topP;
  // top_k has no canonical counterpart; it is checked so that a malformed value is still reported.
  optionalNumber(body.top_k, 'top_k', { min: 0, integer: true });
  if (isPresent(body.stop_sequences)) {
    const stop = requireArray(body.stop_sequences, 'stop_sequences').map((item, index) => requireString(item, `stop_sequences[${index}]`));
    if (stop.length > 0) request.stop = stop;
  }
  const effort = decodeThinking(body);
  if (effort !== undefined) request.reasoningEffort = effort;
}

function decodeTooling(body: Json, request: ChatRequest): void {
  if (isPresent(body.tools)) {
    const tools = requireArray(body.tools, 'tools').flatMap((tool, index) => decodeTool(tool, index, request) ?? []);
    if (tools.length > 0) request.tools = tools;
  }
  if (isPresent(body.tool_choice)) decodeToolChoice(body.tool_choice, request);
  if (isPresent(body.metadata)) {
    const user = optionalString(requireObject(body.metadata, 'metadata').user_id, 'metadata.user_id');
    if (user !== undefined) request.user = user;
  }
}

/** The headers of the client that an Anthropic provider needs too. */
function nativeHeaders(headers: IncomingHttpHeaders | undefined): Record<string, string> {
  const beta = headers?.['anthropic-beta'];
  const value = Array.isArray(beta) ? beta.join(',') : beta;
  return value ? { 'anthropic-beta': value } : {};
}

/** Decodes an Anthropic Messages API body (https://docs.anthropic.com/en/api/messages) into the canonical request, naming the field of every problem. */
export function decodeMessagesRequest(value: unknown, headers?: IncomingHttpHeaders): ChatRequest {
  const body = requireObject(value, 'body');
  const model = requireString(body.model, 'model');
  if (model.length === 0) throw invalid('model', 'must not be empty.');
  if (!isPresent(body.max_tokens)) throw invalid('max_tokens', 'is required by the Messages API.');
  const maxTokens = optionalNumber(body.max_tokens, 'max_tokens', { min: 1, integer: true }) as number;
  const turns = requireArray(body.messages, 'messages');
  if (turns.length === 0) throw invalid('messages', 'must contain at least one message.');
  const request: ChatRequest = {
    model,
    messages: [...decodeSystem(body.system), ...turns.flatMap(decodeMessage)],
    maxTokens,
    stream: optionalBoolean(body.stream, 'stream') ?? false,
    native: { format: 'anthropic', body, headers: nativeHeaders(headers) },
  };
  decodeSampling(body, request);
  decodeTooling(body, request);
  if (isPresent(body.context_management)) requireObject(body.context_management, 'context_management');
  return request;
}

/** The server tools of a request (`web_search_20250305`, ...), which no provider but Anthropic can run. */
export function anthropicServerTools(request: ChatRequest): string[] {
  if (request.native?.format !== 'anthropic' || !Array.isArray(request.native.body.tools)) return [];
  return request.native.body.tools.flatMap((tool: unknown) => {
    const record = typeof tool === 'object' && tool !== null ? (tool as Record<string, unknown>) : {};
    return typeof record.type === 'string' && record.type !== 'custom' ? [typeof record.name === 'string' ? `${record.name} (${record.type})` : record.type] : [];
  });
}
