import type { ProviderEndpoint } from '../../core/provider.js';
import type { OpenAiWireQuirks } from './convert-to-openai-request.js';

/** How one OpenAI-wire host differs from OpenAI: where it lives, how it authenticates, what it does not accept. */
export interface OpenAiHostProfile extends OpenAiWireQuirks {
  type: string;
  defaultBaseUrl: string;
  /** `bearer` (Authorization header) or Azure's `api-key` header. */
  auth?: 'bearer' | 'api-key';
  /** Renamed body fields, applied after dropping unsupported ones (Mistral's `random_seed`). */
  rename?: Readonly<Record<string, string>>;
  /** The value the host expects for "must call a tool" (Mistral says `any`). */
  requiredToolChoice?: string;
  /** Builds the URL of an operation; defaults to `${baseUrl}/${operation}`. */
  url?: (endpoint: ProviderEndpoint, upstreamModel: string, operation: 'chat/completions' | 'embeddings') => string;
  supportsEmbeddings?: boolean;
  /**
   * The host takes the client's Chat Completions body as sent (with the model replaced), so fields the gateway does
   * not model (`n`, `logprobs`, `prompt_cache_key`, `service_tier`, audio, ...) reach it; its answers are returned
   * to an OpenAI client unchanged. Hosts without it get a body built from the canonical request.
   */
  passThrough?: boolean;
}

const local = { legacyMaxTokens: true, supportsEmbeddings: true } as const;

function azureUrl(endpoint: ProviderEndpoint, upstreamModel: string, operation: string): string {
  // Azure addresses a deployment, not a model (https://learn.microsoft.com/azure/ai-services/openai/reference).
  const apiVersion = typeof endpoint.options?.apiVersion === 'string' ? endpoint.options.apiVersion : '2024-10-21';
  const deployment = typeof endpoint.options?.deployment === 'string' ? endpoint.options.deployment : upstreamModel;
  return `${endpoint.baseUrl}/openai/deployments/${encodeURIComponent(deployment)}/${operation}?api-version=${encodeURIComponent(apiVersion)}`;
}

export const openAiHostProfiles: Record<string, OpenAiHostProfile> = {
  openai: { type: 'openai', defaultBaseUrl: 'https://api.openai.com/v1', supportsEmbeddings: true, passThrough: true },
  'azure-openai': { type: 'azure-openai', defaultBaseUrl: '', auth: 'api-key', url: azureUrl, supportsEmbeddings: true, passThrough: true },
  groq: { type: 'groq', defaultBaseUrl: 'https://api.groq.com/openai/v1', unsupported: ['logit_bias', 'logprobs', 'top_logprobs', 'seed'] },
  together: { type: 'together', defaultBaseUrl: 'https://api.together.xyz/v1', legacyMaxTokens: true, supportsEmbeddings: true },
  fireworks: { type: 'fireworks', defaultBaseUrl: 'https://api.fireworks.ai/inference/v1', legacyMaxTokens: true, supportsEmbeddings: true },
  deepseek: { type: 'deepseek', defaultBaseUrl: 'https://api.deepseek.com/v1', legacyMaxTokens: true, unsupported: ['seed', 'user'] },
  xai: { type: 'xai', defaultBaseUrl: 'https://api.x.ai/v1' },
  // OpenRouter forwards the OpenAI body to the model's provider and ignores what it does not support (https://openrouter.ai/docs/api-reference/parameters).
  openrouter: { type: 'openrouter', defaultBaseUrl: 'https://openrouter.ai/api/v1', legacyMaxTokens: true, passThrough: true },
  // Perplexity has no tool calling and no stream usage option (https://docs.perplexity.ai/api-reference/chat-completions-post).
  perplexity: { type: 'perplexity', defaultBaseUrl: 'https://api.perplexity.ai', legacyMaxTokens: true, unsupported: ['tools', 'tool_choice', 'parallel_tool_calls', 'seed', 'user', 'stream_options'], streamUsage: false },
  mistral: {
    type: 'mistral',
    defaultBaseUrl: 'https://api.mistral.ai/v1',
    legacyMaxTokens: true,
    // Mistral sends usage on its last chunk unasked and rejects unknown fields (https://docs.mistral.ai/api/).
    unsupported: ['user', 'stream_options'],
    streamUsage: false,
    rename: { seed: 'random_seed' },
    requiredToolChoice: 'any',
    supportsEmbeddings: true,
  },
  ollama: { type: 'ollama', defaultBaseUrl: 'http://127.0.0.1:11434/v1', ...local },
  vllm: { type: 'vllm', defaultBaseUrl: 'http://127.0.0.1:8000/v1', ...local },
  llamacpp: { type: 'llamacpp', defaultBaseUrl: 'http://127.0.0.1:8080/v1', ...local },
  tgi: { type: 'tgi', defaultBaseUrl: 'http://127.0.0.1:8080/v1', legacyMaxTokens: true, unsupported: ['parallel_tool_calls'] },
  lmstudio: { type: 'lmstudio', defaultBaseUrl: 'http://127.0.0.1:1234/v1', ...local },
};
