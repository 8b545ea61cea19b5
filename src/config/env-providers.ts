import type { ProviderType } from './schema.js';

interface EnvProvider {
  name: string;
  type: ProviderType;
  keyVariable?: string;
  urlVariable?: string;
  /** Turns the variable's value into a base URL (Ollama's OLLAMA_HOST is a host, not a URL). */
  toBaseUrl?: (value: string) => string;
}

/** Providers enabled from the usual environment variables when no config file is given. */
const envProviders: EnvProvider[] = [
  { name: 'openai', type: 'openai', keyVariable: 'OPENAI_API_KEY', urlVariable: 'OPENAI_BASE_URL' },
  { name: 'anthropic', type: 'anthropic', keyVariable: 'ANTHROPIC_API_KEY', urlVariable: 'ANTHROPIC_BASE_URL' },
  { name: 'gemini', type: 'gemini', keyVariable: 'GEMINI_API_KEY' },
  { name: 'mistral', type: 'mistral', keyVariable: 'MISTRAL_API_KEY' },
  { name: 'cohere', type: 'cohere', keyVariable: 'COHERE_API_KEY' },
  { name: 'stability', type: 'stability', keyVariable: 'STABILITY_API_KEY' },
  { name: 'groq', type: 'groq', keyVariable: 'GROQ_API_KEY' },
  { name: 'together', type: 'together', keyVariable: 'TOGETHER_API_KEY' },
  { name: 'fireworks', type: 'fireworks', keyVariable: 'FIREWORKS_API_KEY' },
  { name: 'deepseek', type: 'deepseek', keyVariable: 'DEEPSEEK_API_KEY' },
  { name: 'xai', type: 'xai', keyVariable: 'XAI_API_KEY' },
  { name: 'openrouter', type: 'openrouter', keyVariable: 'OPENROUTER_API_KEY' },
  { name: 'perplexity', type: 'perplexity', keyVariable: 'PERPLEXITY_API_KEY' },
  {
    name: 'ollama',
    type: 'ollama',
    urlVariable: 'OLLAMA_HOST',
    toBaseUrl: (value) => `${value.startsWith('http') ? value : `http://${value}`}`.replace(/\/+$/, '') + '/v1',
  },
];

export function providersFromEnv(env: Record<string, string | undefined>): Record<string, Record<string, unknown>> {
  const providers: Record<string, Record<string, unknown>> = {};
  for (const entry of envProviders) {
    const key = entry.keyVariable ? env[entry.keyVariable] : undefined;
    const url = entry.urlVariable ? env[entry.urlVariable] : undefined;
    if (entry.keyVariable ? !key : !url) continue;
    const provider: Record<string, unknown> = { type: entry.type };
    if (key) provider.apiKey = key;
    if (url) provider.baseUrl = entry.toBaseUrl ? entry.toBaseUrl(url) : url;
    providers[entry.name] = provider;
  }
  return providers;
}
