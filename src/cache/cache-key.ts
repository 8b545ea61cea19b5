import { createHash } from 'node:crypto';
import type { ChatRequest, Message, NativeBody } from '../core/canonical.js';

type NativeFormat = NativeBody['format'];

/** The parts of a request that decide its answer; the stream flag and user are not among them. */
export function exactCacheKey(request: ChatRequest, scope: string): string {
  const material = JSON.stringify([
    scope,
    request.model,
    request.messages,
    request.tools ?? null,
    request.toolChoice ?? null,
    request.responseFormat ?? null,
    request.maxTokens ?? null,
    request.temperature ?? null,
    request.topP ?? null,
    request.stop ?? null,
    request.seed ?? null,
    request.reasoningEffort ?? null,
    request.parallelToolCalls ?? null,
    nativeAnswerFields(request),
  ]);
  return createHash('sha256').update(material).digest('base64url');
}

/**
 * Fields of each client format outside the canonical request that change the answer a provider of that format returns
 * (built-in and server tools, thinking settings, output options), so two requests that differ only in them never
 * share an answer.
 */
const nativeFieldsByFormat: Partial<Record<NativeFormat, string[]>> = {
  'openai-chat': ['n', 'logprobs', 'top_logprobs', 'modalities', 'audio', 'web_search_options', 'prediction', 'verbosity', 'service_tier'],
  'openai-responses': ['tools', 'include', 'reasoning', 'text', 'top_logprobs', 'max_tool_calls', 'truncation', 'service_tier', 'prompt'],
  anthropic: ['tools', 'thinking', 'output_config', 'context_management', 'mcp_servers', 'container', 'top_k', 'service_tier'],
};

function nativeAnswerFields(request: ChatRequest): unknown[] | null {
  const native = request.native;
  const fields = native ? nativeFieldsByFormat[native.format] : undefined;
  if (!native || !fields) return null;
  const values: unknown[] = fields.map((name) => native.body[name] ?? null);
  if (native.format === 'anthropic') values.push(native.headers?.['anthropic-beta'] ?? null);
  return values;
}

function messageText(message: Message): string {
  if (message.role === 'system' || message.role === 'tool') return message.content;
  return message.content.map((part) => (part.type === 'text' ? part.text : '')).join(' ');
}

/** The text a semantic cache embeds: the conversation, newest last. */
export function semanticText(request: ChatRequest): string {
  return request.messages.map((message) => `${message.role}: ${messageText(message)}`).join('\n');
}

/** Everything but the last user turn must match exactly for a semantic hit, so one question does not answer another thread. */
export function semanticScope(request: ChatRequest, scope: string): string {
  const context = request.messages.slice(0, -1);
  return exactCacheKey({ ...request, messages: context }, scope);
}
