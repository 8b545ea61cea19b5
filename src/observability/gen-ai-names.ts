import type { RequestRecord } from '../ledger/ledger-record.js';

/**
 * `gen_ai.provider.name` of the OpenTelemetry GenAI conventions for the provider types that have one; other types
 * (self-hosted servers, aggregators) go by their own type name.
 * https://opentelemetry.io/docs/specs/semconv/registry/attributes/gen-ai/
 */
const providerNames: Record<string, string> = {
  openai: 'openai',
  'azure-openai': 'azure.ai.openai',
  anthropic: 'anthropic',
  gemini: 'gcp.gemini',
  vertex: 'gcp.vertex_ai',
  bedrock: 'aws.bedrock',
  mistral: 'mistral_ai',
  cohere: 'cohere',
  groq: 'groq',
  deepseek: 'deepseek',
  xai: 'x_ai',
  perplexity: 'perplexity',
};

export function genAiProviderName(providerType: string | undefined): string {
  if (!providerType) return '';
  return providerNames[providerType] ?? providerType;
}

/** `gen_ai.operation.name` of an endpoint. */
export function genAiOperationName(endpoint: RequestRecord['endpoint']): string {
  if (endpoint === 'embeddings') return 'embeddings';
  if (endpoint === 'images') return 'generate_content';
  return 'chat';
}
