import type { ToolChoice } from '../../../src/core/canonical.js';
import type { JsonBody, JsonModeReadback, RequestReader, WireItem } from '../wire-kit.js';
import { imageFromUrl, list, parseJson, record, schemaReadback, text, toolReadback } from './wire-helpers.js';

/** Reads a Chat Completions body (https://platform.openai.com/docs/api-reference/chat/create) back into neutral terms. */

function contentItems(role: 'user' | 'assistant', content: unknown): WireItem[] {
  if (typeof content === 'string') return [{ kind: 'text', role, text: content }];
  return list(content).flatMap((value): WireItem[] => {
    const part = record(value);
    if (part.type === 'text') return [{ kind: 'text', role, text: text(part.text) ?? '' }];
    if (part.type === 'image_url') return [{ kind: 'image', ...imageFromUrl(text(record(part.image_url).url) ?? '') }];
    return [];
  });
}

function messageItems(value: unknown): WireItem[] {
  const message = record(value);
  switch (message.role) {
    case 'system':
    case 'developer':
      return [{ kind: 'system', text: text(message.content) ?? '' }];
    case 'user':
      return contentItems('user', message.content);
    case 'assistant': {
      const calls = list(message.tool_calls).map((item): WireItem => {
        const call = record(item);
        const fn = record(call.function);
        return { kind: 'tool-call', id: text(call.id), name: text(fn.name) ?? '', arguments: parseJson(text(fn.arguments) ?? '{}') };
      });
      return [...(message.content === null ? [] : contentItems('assistant', message.content)), ...calls];
    }
    case 'tool':
      return [{ kind: 'tool-result', callId: text(message.tool_call_id), name: undefined, content: text(message.content) ?? '' }];
    default:
      return [];
  }
}

function toolChoice(body: JsonBody): ToolChoice | undefined {
  const choice = body.tool_choice;
  if (choice === undefined) return undefined;
  // Mistral spells "required" as "any" (https://docs.mistral.ai/capabilities/function_calling/).
  if (choice === 'any') return 'required';
  if (choice === 'auto' || choice === 'none' || choice === 'required') return choice;
  return { name: text(record(record(choice).function).name) ?? '' };
}

function jsonMode(body: JsonBody): JsonModeReadback {
  const format = record(body.response_format);
  if (format.type === 'json_object') return { type: 'json' };
  if (format.type === 'json_schema') return schemaReadback(record(format.json_schema).schema);
  return { type: 'text' };
}

export const openAiReader: RequestReader = {
  items: (body) => list(body.messages).flatMap(messageItems),
  tools: (body) =>
    list(body.tools).map((item) => {
      const fn = record(record(item).function);
      return toolReadback(fn.name, fn.description, fn.parameters);
    }),
  toolChoice,
  jsonMode,
  maxTokens: (body) => {
    const value = body.max_completion_tokens ?? body.max_tokens;
    return typeof value === 'number' ? value : undefined;
  },
};
