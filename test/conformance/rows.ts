import type { ProviderAdapter } from '../../src/core/provider.js';
import { cohereAdapter } from '../../src/providers/cohere/cohere-adapter.js';
import { adapterFor } from '../../src/providers/registry.js';
import { anthropicKit } from './kits/anthropic.js';
import { bedrockKit } from './kits/bedrock.js';
import { cohereKit } from './kits/cohere.js';
import { geminiKit } from './kits/gemini.js';
import { openAiKit } from './kits/openai.js';
import { openAiResponsesKit } from './kits/openai-responses.js';
import type { WireKit } from './wire-kit.js';

/** One line of the matrix: a provider type, the adapter that serves it, and its wire kit. */
export interface ConformanceRow {
  name: string;
  adapter: ProviderAdapter;
  kit: WireKit;
}

function registered(type: string): ProviderAdapter {
  const adapter = adapterFor(type);
  if (!adapter) throw new Error(`No adapter is registered for provider type "${type}"`);
  return adapter;
}

const openAiWireHosts = ['openai', 'azure-openai', 'groq', 'mistral', 'deepseek', 'ollama', 'vllm'];

export function conformanceRows(): ConformanceRow[] {
  return [
    ...openAiWireHosts.map((type) => ({ name: type, adapter: registered(type), kit: openAiKit(type) })),
    { name: 'openai (api: responses)', adapter: adapterFor('openai', 'responses') ?? registered('openai'), kit: openAiResponsesKit() },
    { name: 'anthropic', adapter: registered('anthropic'), kit: anthropicKit() },
    { name: 'gemini', adapter: registered('gemini'), kit: geminiKit('gemini') },
    { name: 'vertex', adapter: registered('vertex'), kit: geminiKit('vertex') },
    { name: 'bedrock', adapter: registered('bedrock'), kit: bedrockKit() },
    // Not in the registry yet, so taken from its module.
    { name: 'cohere', adapter: adapterFor('cohere') ?? cohereAdapter, kit: cohereKit() },
  ];
}
