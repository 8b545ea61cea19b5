import type { ProviderAdapter } from '../core/provider.js';
import { withEntraAuth } from './azure/entra-auth.js';
import { anthropicAdapter } from './anthropic/anthropic-adapter.js';
import { cohereAdapter } from './cohere/cohere-adapter.js';
import { stabilityChatAdapter } from './images/stability-chat-adapter.js';
import { bedrockAdapter } from './bedrock/bedrock-adapter.js';
import { geminiAdapter, vertexAdapter } from './gemini/gemini-adapter.js';
import { openAiCompatibleAdapters } from './openai/openai-adapter.js';
import { openAiHostProfiles } from './openai/openai-compatible-hosts.js';

const adapters = new Map<string, ProviderAdapter>();
for (const adapter of [...openAiCompatibleAdapters().map((adapter) => (adapter.type === 'azure-openai' ? withEntraAuth(adapter) : adapter)), anthropicAdapter, bedrockAdapter, geminiAdapter, vertexAdapter, cohereAdapter, stabilityChatAdapter]) adapters.set(adapter.type, adapter);

export function adapterFor(type: string): ProviderAdapter | undefined {
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
