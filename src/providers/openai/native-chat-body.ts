import type { ChatRequest } from '../../core/canonical.js';
import { isRecord } from '../shared/json-read.js';
import type { OpenAiHostProfile } from './openai-compatible-hosts.js';

/**
 * The client's Chat Completions body for a host that takes it as sent (`passThrough` in the host table), or undefined
 * when the request must be built from the canonical fields. Only the model is replaced, usage is asked for in a stream
 * (the ledger needs it) and the host's written quirks (dropped and renamed fields) are applied; every other field,
 * including ones this gateway does not model, reaches the host unchanged.
 */
export function nativeChatBody(request: ChatRequest, upstreamModel: string, profile: OpenAiHostProfile): Record<string, unknown> | undefined {
  if (request.native?.format !== 'openai-chat' || profile.passThrough !== true) return undefined;
  const body: Record<string, unknown> = { ...request.native.body, model: upstreamModel };
  if (request.stream && profile.streamUsage !== false) {
    body.stream_options = { ...(isRecord(body.stream_options) ? body.stream_options : {}), include_usage: true };
  }
  if (profile.legacyMaxTokens && body.max_completion_tokens !== undefined) {
    body.max_tokens ??= body.max_completion_tokens;
    delete body.max_completion_tokens;
  }
  for (const name of profile.unsupported ?? []) delete body[name];
  return body;
}
