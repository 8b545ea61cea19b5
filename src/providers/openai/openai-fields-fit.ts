import type { ChatRequest } from '../../core/canonical.js';
import type { Deployment } from '../../core/deployment.js';
import { GatewayError } from '../../core/errors.js';
import { asArray, asRecord, isRecord } from '../shared/json-read.js';
import { openAiHostProfiles } from './openai-compatible-hosts.js';

/** Whether a provider type takes an OpenAI client's Chat Completions body as sent. */
export function takesOpenAiChatBody(providerType: string): boolean {
  return openAiHostProfiles[providerType]?.passThrough === true;
}

function refuse(param: string, providerType: string, what: string): GatewayError {
  return new GatewayError('invalid_request', `${param}: provider type "${providerType}" ${what}; route this request to an OpenAI or Azure OpenAI model, or remove "${param}".`, { param });
}

function findInputAudio(body: Record<string, unknown>): string | undefined {
  const messages = asArray(body.messages);
  for (const [index, message] of messages.entries()) {
    const content = asRecord(message).content;
    const at = asArray(content).findIndex((part) => asRecord(part).type === 'input_audio');
    if (at !== -1) return `messages[${index}].content[${at}]`;
  }
  return undefined;
}

/**
 * Chat Completions fields that change the shape of the answer and that a target built from the canonical request
 * cannot honour. Such a target refuses them by name instead of answering something else: more than one choice (`n`),
 * audio in or out, web search, log probabilities. Hints that leave the answer's shape alone (`store`, `metadata`,
 * `prompt_cache_key`, `service_tier`, `verbosity`, `prediction`) are dropped for such targets.
 */
export function assertOpenAiFieldsFit(request: ChatRequest, providerType: string): void {
  if (request.native?.format !== 'openai-chat' || takesOpenAiChatBody(providerType)) return;
  const body = request.native.body;
  if (typeof body.n === 'number' && body.n > 1) throw refuse('n', providerType, 'returns one choice per request');
  if (asArray(body.modalities).includes('audio')) throw refuse('modalities', providerType, 'cannot answer with audio');
  if (isRecord(body.audio)) throw refuse('audio', providerType, 'cannot answer with audio');
  const audioInput = findInputAudio(body);
  if (audioInput !== undefined) throw refuse(audioInput, providerType, 'takes no audio input through this gateway');
  if (isRecord(body.web_search_options)) throw refuse('web_search_options', providerType, 'has no web search the gateway can turn on');
  if (body.logprobs === true) throw refuse('logprobs', providerType, 'returns no log probabilities through this gateway');
}

/** The same check for a deployment of any provider type, run before its request is built. */
export function assertRequestFitsDeployment(request: ChatRequest, deployment: Deployment): void {
  assertOpenAiFieldsFit(request, deployment.providerType);
}
