import type { ChatRequest, ResponseFormat, ToolChoice, ToolDefinition } from '../../core/canonical.js';
import {
  invalid, optionalBoolean, optionalNumber, optionalString, requireArray, requireObject, requireString, type Json,
} from '../openai/field-reader.js';
import { decodeResponsesInput, emptyHistory, type ResponsesHistory } from './decode-responses-input.js';

/**
 * Decodes a `POST /v1/responses` body for the chat pipeline; its input continues `history`, the stored conversation
 * its `previous_response_id` names (loaded by the caller). Built-in tools (web_search, file_search, mcp, namespaces,
 * ...) stay in the client's native body, which an OpenAI Responses-API provider receives as sent; every other provider
 * is sent the function tools only, since it cannot run the built-in ones (agents such as Codex CLI always offer
 * web_search, and would otherwise fail on every such provider). Forcing a built-in tool through `tool_choice` is
 * refused. `store`, `previous_response_id` and `metadata` are checked here; the handler reads the first two for
 * storage, and the codec echoes them.
 */
export function decodeResponsesRequest(raw: unknown, history: ResponsesHistory = emptyHistory): ChatRequest {
  const body = requireObject(raw, 'body');
  const model = requireString(body.model, 'model');
  if (body.input === undefined) throw invalid('input', 'is required.');
  const instructions = optionalString(body.instructions, 'instructions');
  const messages = decodeResponsesInput(body.input, history);
  if (instructions !== undefined) messages.unshift({ role: 'system', content: instructions });
  const tools = decodeTools(body.tools);
  const request: ChatRequest = { model, messages, stream: optionalBoolean(body.stream, 'stream') ?? false, native: { format: 'openai-responses', body } };
  if (tools.length > 0) request.tools = tools;
  assign(request, 'toolChoice', decodeToolChoice(body.tool_choice));
  assign(request, 'parallelToolCalls', optionalBoolean(body.parallel_tool_calls, 'parallel_tool_calls'));
  assign(request, 'responseFormat', decodeTextFormat(body.text));
  assign(request, 'maxTokens', optionalNumber(body.max_output_tokens, 'max_output_tokens', { min: 1, integer: true }));
  assign(request, 'temperature', optionalNumber(body.temperature, 'temperature', { min: 0, max: 2 }));
  assign(request, 'topP', optionalNumber(body.top_p, 'top_p', { min: 0, max: 1 }));
  assign(request, 'user', optionalString(body.safety_identifier, 'safety_identifier') ?? optionalString(body.user, 'user'));
  if (body.reasoning !== undefined && body.reasoning !== null) {
    assign(request, 'reasoningEffort', optionalString(requireObject(body.reasoning, 'reasoning').effort, 'reasoning.effort'));
  }
  optionalBoolean(body.store, 'store');
  optionalString(body.previous_response_id, 'previous_response_id');
  if (body.metadata !== undefined && body.metadata !== null) checkMetadata(body.metadata);
  return request;
}

function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/** The function tools; built-in ones (web_search, file_search, mcp, ...) are left to the native body. */
function decodeTools(raw: unknown): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  if (raw === undefined || raw === null) return tools;
  requireArray(raw, 'tools').forEach((entry, index) => {
    const tool = requireObject(entry, `tools[${index}]`);
    const type = requireString(tool.type, `tools[${index}].type`);
    if (type !== 'function') return;
    const definition: ToolDefinition = {
      name: requireString(tool.name, `tools[${index}].name`),
      parameters: tool.parameters === undefined || tool.parameters === null ? { type: 'object', properties: {} } : requireObject(tool.parameters, `tools[${index}].parameters`),
    };
    assign(definition, 'description', optionalString(tool.description, `tools[${index}].description`));
    assign(definition, 'strict', optionalBoolean(tool.strict, `tools[${index}].strict`));
    tools.push(definition);
  });
  return tools;
}

function decodeToolChoice(raw: unknown): ToolChoice | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (raw === 'auto' || raw === 'none' || raw === 'required') return raw;
  const choice = requireObject(raw, 'tool_choice');
  if (choice.type === 'function') return { name: requireString(choice.name, 'tool_choice.name') };
  throw invalid('tool_choice.type', `expected auto, none, required or a function, got '${String(choice.type)}'.`);
}

function decodeTextFormat(raw: unknown): ResponseFormat | undefined {
  if (raw === undefined || raw === null) return undefined;
  const text = requireObject(raw, 'text');
  if (text.format === undefined || text.format === null) return undefined;
  const format = requireObject(text.format, 'text.format');
  if (format.type === 'text') return { type: 'text' };
  if (format.type === 'json_object') return { type: 'json' };
  if (format.type === 'json_schema') {
    const schema: ResponseFormat = {
      type: 'json-schema',
      name: requireString(format.name, 'text.format.name'),
      schema: requireObject(format.schema, 'text.format.schema'),
    };
    assign(schema, 'strict', optionalBoolean(format.strict, 'text.format.strict'));
    assign(schema, 'description', optionalString(format.description, 'text.format.description'));
    return schema;
  }
  throw invalid('text.format.type', `expected text, json_object or json_schema, got '${String(format.type)}'.`);
}

/** Metadata values must be strings, as OpenAI requires. */
function checkMetadata(raw: unknown): void {
  const metadata: Json = requireObject(raw, 'metadata');
  for (const [key, value] of Object.entries(metadata)) requireString(value, `metadata.${key}`);
}
