import type { AssistantMessage, ChatRequest, ContentPart, ImagePart, Message, SystemMessage, ToolCall, ToolDefinition, ToolMessage } from '../../core/canonical.js';
import { invalid, optionalBoolean, optionalNumber, optionalString, requireArray, requireObject, requireString, type Json } from '../openai/field-reader.js';

/** Image formats the Messages API accepts: https://docs.anthropic.com/en/docs/build-with-claude/vision */
const imageMediaTypes = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function unsupportedBlock(type: unknown, path: string, allowed: string): never {
  if (type === 'document') throw invalid(`${path}.type`, 'document blocks are not supported by this gateway; send the document text as a text block.');
  throw invalid(`${path}.type`, `content block type ${JSON.stringify(type)} is not supported here; use ${allowed}.`);
}

function decodeText(block: Json, path: string): ContentPart {
  return { type: 'text', text: requireString(block.text, `${path}.text`) };
}

function decodeImage(block: Json, path: string): ImagePart {
  const source = requireObject(block.source, `${path}.source`);
  if (source.type === 'url') return { type: 'image', url: requireString(source.url, `${path}.source.url`) };
  if (source.type !== 'base64') throw invalid(`${path}.source.type`, `expected "base64" or "url", got ${JSON.stringify(source.type)}.`);
  const mediaType = requireString(source.media_type, `${path}.source.media_type`);
  if (!imageMediaTypes.includes(mediaType)) {
    throw invalid(`${path}.source.media_type`, `expected one of ${imageMediaTypes.map((type) => `"${type}"`).join(', ')}, got ${JSON.stringify(mediaType)}.`);
  }
  const data = requireString(source.data, `${path}.source.data`);
  if (data === '') throw invalid(`${path}.source.data`, 'must not be empty.');
  return { type: 'image', url: `data:${mediaType};base64,${data}`, data, mediaType };
}

function decodeToolResultContent(value: unknown, path: string): string {
  if (!isPresent(value)) return '';
  if (typeof value === 'string') return value;
  return requireArray(value, path)
    .map((item, index) => {
      const blockPath = `${path}[${index}]`;
      const block = requireObject(item, blockPath);
      if (block.type !== 'text') unsupportedBlock(block.type, blockPath, '"text" (tool results carry text only)');
      return requireString(block.text, `${blockPath}.text`);
    })
    .join('\n');
}

function decodeToolResult(block: Json, path: string): ToolMessage {
  const message: ToolMessage = {
    role: 'tool',
    toolCallId: requireString(block.tool_use_id, `${path}.tool_use_id`),
    content: decodeToolResultContent(block.content, `${path}.content`),
  };
  if (optionalBoolean(block.is_error, `${path}.is_error`) === true) message.isError = true;
  return message;
}

/** Tool results become canonical tool messages ahead of the rest of the turn, which every provider accepts. */
function decodeUserTurn(content: unknown, path: string): Message[] {
  if (typeof content === 'string') return [{ role: 'user', content: [{ type: 'text', text: content }] }];
  const results: ToolMessage[] = [];
  const parts: ContentPart[] = [];
  requireArray(content, path).forEach((item, index) => {
    const blockPath = `${path}[${index}]`;
    const block = requireObject(item, blockPath);
    if (block.type === 'text') parts.push(decodeText(block, blockPath));
    else if (block.type === 'image') parts.push(decodeImage(block, blockPath));
    else if (block.type === 'tool_result') results.push(decodeToolResult(block, blockPath));
    else unsupportedBlock(block.type, blockPath, '"text", "image" or "tool_result" in user messages');
  });
  if (parts.length === 0 && results.length > 0) return results;
  return [...results, { role: 'user', content: parts }];
}

function decodeToolUse(block: Json, path: string): ToolCall {
  return {
    id: requireString(block.id, `${path}.id`),
    name: requireString(block.name, `${path}.name`),
    arguments: JSON.stringify(requireObject(block.input, `${path}.input`)),
  };
}

function decodeAssistantTurn(content: unknown, path: string): AssistantMessage {
  if (typeof content === 'string') return { role: 'assistant', content: content === '' ? [] : [{ type: 'text', text: content }] };
  const message: AssistantMessage = { role: 'assistant', content: [] };
  const toolCalls: ToolCall[] = [];
  const thoughts: string[] = [];
  requireArray(content, path).forEach((item, index) => {
    const blockPath = `${path}[${index}]`;
    const block = requireObject(item, blockPath);
    if (block.type === 'text') message.content.push({ type: 'text', text: requireString(block.text, `${blockPath}.text`) });
    else if (block.type === 'tool_use') toolCalls.push(decodeToolUse(block, blockPath));
    else if (block.type === 'thinking') thoughts.push(requireString(block.thinking, `${blockPath}.thinking`));
    // Redacted thinking is encrypted for Anthropic alone and has no canonical form.
    else if (block.type !== 'redacted_thinking') unsupportedBlock(block.type, blockPath, '"text", "tool_use" or "thinking" in assistant messages');
  });
  if (toolCalls.length > 0) message.toolCalls = toolCalls;
  if (thoughts.length > 0) message.reasoning = thoughts.join('');
  return message;
}

function decodeMessage(value: unknown, index: number): Message[] {
  const path = `messages[${index}]`;
  const message = requireObject(value, path);
  if (typeof message.content !== 'string' && !Array.isArray(message.content)) {
    throw invalid(`${path}.content`, 'expected a string or an array of content blocks.');
  }
  if (message.role === 'user') return decodeUserTurn(message.content, `${path}.content`);
  if (message.role === 'assistant') return [decodeAssistantTurn(message.content, `${path}.content`)];
  throw invalid(`${path}.role`, `expected "user" or "assistant", got ${JSON.stringify(message.role)}; put system text in the top-level "system" field.`);
}

function decodeSystem(value: unknown): SystemMessage | undefined {
  if (!isPresent(value)) return undefined;
  if (typeof value !== 'string' && !Array.isArray(value)) throw invalid('system', 'expected a string or an array of text blocks.');
  const text = typeof value === 'string'
    ? value
    : value
        .map((item, index) => {
          const block = requireObject(item, `system[${index}]`);
          if (block.type !== 'text') throw invalid(`system[${index}].type`, `expected "text", got ${JSON.stringify(block.type)}.`);
          return requireString(block.text, `system[${index}].text`);
        })
        .join('\n\n');
  return text === '' ? undefined : { role: 'system', content: text };
}

function decodeTool(value: unknown, index: number): ToolDefinition {
  const path = `tools[${index}]`;
  const tool = requireObject(value, path);
  if (isPresent(tool.type) && tool.type !== 'custom') {
    throw invalid(`${path}.type`, `server tool ${JSON.stringify(tool.type)} is not supported; define a client tool with name and input_schema.`);
  }
  const definition: ToolDefinition = { name: requireString(tool.name, `${path}.name`), parameters: requireObject(tool.input_schema, `${path}.input_schema`) };
  const description = optionalString(tool.description, `${path}.description`);
  if (description !== undefined) definition.description = description;
  const strict = optionalBoolean(tool.strict, `${path}.strict`);
  if (strict !== undefined) definition.strict = strict;
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
    const tools = requireArray(body.tools, 'tools').map(decodeTool);
    if (tools.length > 0) request.tools = tools;
  }
  if (isPresent(body.tool_choice)) decodeToolChoice(body.tool_choice, request);
  if (isPresent(body.metadata)) {
    const user = optionalString(requireObject(body.metadata, 'metadata').user_id, 'metadata.user_id');
    if (user !== undefined) request.user = user;
  }
}

/** Decodes an Anthropic Messages API body (https://docs.anthropic.com/en/api/messages) into the canonical request, naming the field of every problem. */
export function decodeMessagesRequest(value: unknown): ChatRequest {
  const body = requireObject(value, 'body');
  const model = requireString(body.model, 'model');
  if (model.length === 0) throw invalid('model', 'must not be empty.');
  if (!isPresent(body.max_tokens)) throw invalid('max_tokens', 'is required by the Messages API.');
  const maxTokens = optionalNumber(body.max_tokens, 'max_tokens', { min: 1, integer: true }) as number;
  const turns = requireArray(body.messages, 'messages');
  if (turns.length === 0) throw invalid('messages', 'must contain at least one message.');
  const system = decodeSystem(body.system);
  const messages = turns.flatMap(decodeMessage);
  const request: ChatRequest = {
    model,
    messages: system ? [system, ...messages] : messages,
    maxTokens,
    stream: optionalBoolean(body.stream, 'stream') ?? false,
  };
  decodeSampling(body, request);
  decodeTooling(body, request);
  return request;
}
