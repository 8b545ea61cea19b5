import type { ProviderAdapter } from '../core/provider.js';
import { withEntraAuth } from './azure/entra-auth.js';
import { anthropicAdapter } from './anthropic/anthropic-adapter.js';
import { cohereAdapter } from './cohere/cohere-adapter.js';
import { stabilityChatAdapter } from './images/stability-chat-adapter.js';
import { bedrockAdapter } from './bedrock/bedrock-adapter.js';
import { geminiAdapter, vertexAdapter } from './gemini/gemini-adapter.js';
import { openAiCompatibleAdapters } from './openai/openai-adapter.js';
import { openAiHostProfiles } from './openai/openai-compatible-hosts.js';
import { createResponsesAdapter, type ResponsesHost } from './openai-responses/openai-responses-adapter.js';

const adapters = new Map<string, ProviderAdapter>();
for (const adapter of [...openAiCompatibleAdapters().map((adapter) => (adapter.type === 'azure-openai' ? withEntraAuth(adapter) : adapter)), anthropicAdapter, bedrockAdapter, geminiAdapter, vertexAdapter, cohereAdapter, stabilityChatAdapter]) adapters.set(adapter.type, adapter);

/** Hosts that also serve the Responses API (`api: responses`); embeddings still go through the chat adapter's endpoint. */
const responsesAdapters = new Map<string, ProviderAdapter>();
for (const host of ['openai', 'azure-openai'] as const satisfies readonly ResponsesHost[]) {
  const chat = adapters.get(host);
  const responses = createResponsesAdapter(host);
  if (chat?.buildEmbeddingRequest) responses.buildEmbeddingRequest = chat.buildEmbeddingRequest;
  if (chat?.parseEmbeddingResponse) responses.parseEmbeddingResponse = chat.parseEmbeddingResponse;
  if (chat?.embeddingBatchSize) responses.embeddingBatchSize = chat.embeddingBatchSize;
  responsesAdapters.set(host, responses);
}

/** The adapter of a provider type; `api` picks another API of the same host (`responses` for OpenAI and Azure). */
export function adapterFor(type: string, api?: 'chat' | 'responses'): ProviderAdapter | undefined {
  if (api === 'responses') return responsesAdapters.get(type);
  return adapters.get(type);
}

/** The default base URL of a provider type, for providers configured without `baseUrl`. */
/** Bedrock is absent on purpose: its adapter derives the regional endpoint from its own options. */
export function defaultBaseUrl(type: string): string {
  const profile = openAiHostProfiles[type];
  if (profile) return profile.defaultBaseUrl;
  switch (type) {
    case 'anthropic':
      return 'https://api.anthropic.com';
    case 'gemini':
      return 'https://generativelanguage.googleapis.com';
    case 'vertex':
      return '';
    case 'cohere':
      return 'https://api.cohere.com';
    case 'stability':
      return 'https://api.stability.ai';
    default:
      return '';
  }
}

/** Which catalog family prices a provider type's models. */
export function priceFamily(type: string, upstreamModel: string): string {
  if (type === 'azure-openai') return 'openai';
  if (type === 'vertex') return 'gemini';
  if (type === 'bedrock') return upstreamModel.includes('anthropic.') ? 'anthropic' : 'bedrock';
  return type;
}
