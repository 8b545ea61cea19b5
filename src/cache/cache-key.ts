import { createHash } from 'node:crypto';
import type { ChatRequest, Message } from '../core/canonical.js';

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

/** OpenAI chat fields outside the canonical request that change the answer an OpenAI-wire provider returns. */
const openAiAnswerFields = ['n', 'logprobs', 'top_logprobs', 'modalities', 'audio', 'web_search_options', 'prediction', 'verbosity', 'service_tier'];

function nativeAnswerFields(request: ChatRequest): unknown[] | null {
  if (request.native?.format !== 'openai-chat') return null;
  const body = request.native.body;
  return openAiAnswerFields.map((name) => body[name] ?? null);
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
