import type { ErrorContext, ProviderEndpoint } from '../../../src/core/provider.js';
import type { UsageCounts } from '../canonical-cases.js';
import type { ErrorClass } from '../wire-kit.js';
import { jsonError } from './wire-helpers.js';

/** How one OpenAI-wire host's answers differ from OpenAI's own, as its documentation and recordings show them. */
export interface OpenAiHostWire {
  type: string;
  upstreamModel: string;
  /** The model name the host writes into its answers. */
  wireModel: string;
  id: string;
  endpoint: ProviderEndpoint;
  chatUrl(stream: boolean): string;
  embeddingsUrl: string;
  embeddingModel: string;
  credential: 'bearer' | 'api-key';
  /** Where stream usage arrives: a trailing chunk without choices, on the finish chunk, or also under `x_groq`. */
  streamUsage: 'usage-chunk' | 'finish-chunk' | 'x-groq';
  /** Whether parallel tool calls stream in argument fragments or arrive whole in one chunk (with or without `index`). */
  streamedToolCalls: 'fragments' | 'whole' | 'whole-without-index';
  usageShape: 'openai' | 'groq' | 'mistral' | 'deepseek' | 'plain';
  /** Azure sends a first chunk with prompt filter results and empty id and model. */
  azureFilters: boolean;
  /** The message field that carries reasoning text, where the host returns it (DeepSeek's reasoning_content, Groq's and Ollama's reasoning). */
  reasoningField?: 'reasoning_content' | 'reasoning';
  errorOverrides: Partial<Record<ErrorClass, ErrorContext>>;
}

/** Reasoning tokens are reported only in the OpenAI and DeepSeek usage shapes. */
export function reportsReasoningTokens(shape: OpenAiHostWire['usageShape']): boolean {
  return shape === 'openai' || shape === 'deepseek';
}

export function usageObject(counts: UsageCounts, shape: OpenAiHostWire['usageShape'], reasoningTokens = 0): Record<string, unknown> {
  const prompt = counts.input + counts.cacheRead;
  const base = { prompt_tokens: prompt, completion_tokens: counts.output, total_tokens: prompt + counts.output };
  switch (shape) {
    case 'openai':
      return {
        ...base,
        prompt_tokens_details: { cached_tokens: counts.cacheRead, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: reasoningTokens, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      };
    case 'groq':
      return { queue_time: 0.0213, ...base, prompt_time: 0.0042, completion_time: 0.031, total_time: 0.0352, prompt_tokens_details: { cached_tokens: counts.cacheRead } };
    case 'deepseek':
      return {
        ...base, prompt_tokens_details: { cached_tokens: counts.cacheRead }, prompt_cache_hit_tokens: counts.cacheRead, prompt_cache_miss_tokens: counts.input,
        ...(reasoningTokens > 0 ? { completion_tokens_details: { reasoning_tokens: reasoningTokens } } : {}),
      };
    case 'mistral':
      return { prompt_tokens: prompt, total_tokens: prompt + counts.output, completion_tokens: counts.output };
    case 'plain':
      return base;
  }
}

const local = { credential: 'bearer', usageShape: 'plain', azureFilters: false } as const;

export const openAiHosts: Record<string, OpenAiHostWire> = {
  openai: {
    type: 'openai',
    upstreamModel: 'gpt-4.1-mini',
    wireModel: 'gpt-4.1-mini-2025-04-14',
    id: 'chatcmpl-Cf0nf0rm4nc3T3st1',
    endpoint: { name: 'openai-main', baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-proj-C0nformanceOpenAiKey0123456789' },
    chatUrl: () => 'https://api.openai.com/v1/chat/completions',
    embeddingsUrl: 'https://api.openai.com/v1/embeddings',
    embeddingModel: 'text-embedding-3-small',
    credential: 'bearer',
    streamUsage: 'usage-chunk',
    streamedToolCalls: 'fragments',
    usageShape: 'openai',
    azureFilters: false,
    errorOverrides: {},
  },
  'azure-openai': {
    type: 'azure-openai',
    upstreamModel: 'gpt-4o-mini',
    wireModel: 'gpt-4o-mini-2024-07-18',
    id: 'chatcmpl-Az0nf0rm4nc3T3st2',
    endpoint: {
      name: 'azure-westeurope',
      baseUrl: 'https://switchyard-test.openai.azure.com',
      apiKey: '3f9c2a7b1e8d4c6fa0b5e2d9c7a1f3e8',
      options: { deployment: 'travel-mini', apiVersion: '2024-10-21' },
    },
    chatUrl: () => 'https://switchyard-test.openai.azure.com/openai/deployments/travel-mini/chat/completions?api-version=2024-10-21',
    embeddingsUrl: 'https://switchyard-test.openai.azure.com/openai/deployments/travel-mini/embeddings?api-version=2024-10-21',
    embeddingModel: 'text-embedding-3-small',
    credential: 'api-key',
    streamUsage: 'usage-chunk',
    streamedToolCalls: 'fragments',
    usageShape: 'openai',
    azureFilters: true,
    errorOverrides: {
      // https://learn.microsoft.com/azure/ai-services/openai/reference#error-response
      authentication: jsonError(401, { error: { code: '401', message: 'Access denied due to invalid subscription key 3f9c2a7b1e8d4c6fa0b5e2d9c7a1f3e8 or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.' } }),
      'not-found': jsonError(404, { error: { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.' } }),
      'rate-limited': jsonError(
        429,
        { error: { code: '429', message: 'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current AIServices S0 pricing tier. Please retry after 7 seconds.' } },
        { 'retry-after': '7', 'retry-after-ms': '7000', 'x-ratelimit-remaining-requests': '0' },
      ),
    },
  },
  groq: {
    type: 'groq',
    reasoningField: 'reasoning',
    upstreamModel: 'llama-3.3-70b-versatile',
    wireModel: 'llama-3.3-70b-versatile',
    id: 'chatcmpl-5e1a7c3d-0b9f-4e2a-8c6d-groqconform01',
    endpoint: { name: 'groq', baseUrl: 'https://api.groq.com/openai/v1', apiKey: 'gsk_C0nformanceGroqKey0123456789abcdef' },
    chatUrl: () => 'https://api.groq.com/openai/v1/chat/completions',
    embeddingsUrl: '',
    embeddingModel: '',
    credential: 'bearer',
    streamUsage: 'x-groq',
    streamedToolCalls: 'whole',
    usageShape: 'groq',
    azureFilters: false,
    errorOverrides: {},
  },
  mistral: {
    type: 'mistral',
    upstreamModel: 'mistral-small-latest',
    wireModel: 'mistral-small-latest',
    id: '9c2e4b7a1d3f4e6a8b0c2d4e6f8a0b1c',
    endpoint: { name: 'mistral', baseUrl: 'https://api.mistral.ai/v1', apiKey: 'Mc0nformanceMistralKey0123456789' },
    chatUrl: () => 'https://api.mistral.ai/v1/chat/completions',
    embeddingsUrl: 'https://api.mistral.ai/v1/embeddings',
    embeddingModel: 'mistral-embed',
    credential: 'bearer',
    streamUsage: 'finish-chunk',
    streamedToolCalls: 'whole-without-index',
    usageShape: 'mistral',
    azureFilters: false,
    // Mistral's error body is a top-level object, not OpenAI's `{error: {...}}` envelope (https://docs.mistral.ai/api/).
    errorOverrides: {
      'context-length': jsonError(400, {
        object: 'error',
        message: 'Prompt contains 140210 tokens and 0 draft tokens, too large for model with 131072 maximum context length',
        type: 'invalid_request_invalid_args',
        param: null,
        code: '3051',
      }),
      authentication: jsonError(401, { message: 'Unauthorized: Mc0nformanceMistralKey0123456789', request_id: '4b8e2f0a9c1d4e7b' }),
      'rate-limited': jsonError(429, { object: 'error', message: 'Requests rate limit exceeded', type: 'rate_limited', param: null, code: '1300' }, { 'retry-after': '7' }),
    },
  },
  deepseek: {
    type: 'deepseek',
    reasoningField: 'reasoning_content',
    upstreamModel: 'deepseek-chat',
    wireModel: 'deepseek-chat',
    id: '6d0f3a9e-2c4b-4f1e-9a7d-deepconform01',
    endpoint: { name: 'deepseek', baseUrl: 'https://api.deepseek.com/v1', apiKey: 'sk-c0nformancedeepseekkey0123456' },
    chatUrl: () => 'https://api.deepseek.com/v1/chat/completions',
    embeddingsUrl: '',
    embeddingModel: '',
    credential: 'bearer',
    streamUsage: 'finish-chunk',
    streamedToolCalls: 'fragments',
    usageShape: 'deepseek',
    azureFilters: false,
    errorOverrides: {
      // DeepSeek answers an unknown model with 400, not 404 (https://api-docs.deepseek.com/quick_start/error_codes).
      'not-found': jsonError(400, { error: { message: 'Model Not Exist', type: 'invalid_request_error', param: null, code: 'invalid_request_error' } }),
    },
  },
  ollama: {
    ...local,
    type: 'ollama',
    reasoningField: 'reasoning',
    upstreamModel: 'llama3.2',
    wireModel: 'llama3.2',
    id: 'chatcmpl-417',
    endpoint: { name: 'ollama', baseUrl: 'http://127.0.0.1:11434/v1', apiKey: 'ollama-local-placeholder-key' },
    chatUrl: () => 'http://127.0.0.1:11434/v1/chat/completions',
    embeddingsUrl: 'http://127.0.0.1:11434/v1/embeddings',
    embeddingModel: 'nomic-embed-text',
    streamUsage: 'usage-chunk',
    streamedToolCalls: 'whole',
    errorOverrides: {
      'not-found': jsonError(404, { error: { message: 'model "llama9" not found, try pulling it first', type: 'api_error', param: null, code: null } }),
    },
  },
  vllm: {
    ...local,
    type: 'vllm',
    reasoningField: 'reasoning_content',
    upstreamModel: 'Qwen/Qwen2.5-7B-Instruct',
    wireModel: 'Qwen/Qwen2.5-7B-Instruct',
    id: 'chatcmpl-8f2d6b0e4a1c4b9e',
    endpoint: { name: 'vllm', baseUrl: 'http://127.0.0.1:8000/v1', apiKey: 'vllm-c0nformance-token-0123456789' },
    chatUrl: () => 'http://127.0.0.1:8000/v1/chat/completions',
    embeddingsUrl: 'http://127.0.0.1:8000/v1/embeddings',
    embeddingModel: 'BAAI/bge-m3',
    streamUsage: 'usage-chunk',
    streamedToolCalls: 'fragments',
    usageShape: 'openai',
    errorOverrides: {
      // vLLM started with --api-key answers a bare string error (https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html).
      authentication: jsonError(401, { error: 'Unauthorized' }),
      'context-length': jsonError(400, {
        error: { message: "This model's maximum context length is 32768 tokens. However, you requested 40112 tokens in the messages. Please reduce the length of the messages.", type: 'BadRequestError', param: null, code: 400 },
      }),
      'not-found': jsonError(404, { error: { message: 'The model `Qwen/Qwen9` does not exist.', type: 'NotFoundError', param: null, code: 404 } }),
    },
  },
};
