/**
 * Cases an adapter cannot support, each with its reason. A listed case is reported as skipped with this reason
 * (and shown as such in docs/providers.md); a case not listed here must pass.
 * Keys are `<row>` and a case id from the shared cases (`<capability>/<case>`); an id also covers the cases under it
 * (`errors/permission` covers `errors/permission/code` and `errors/permission/retryability`).
 */
export interface Skip {
  row: string;
  caseId: string;
  reason: string;
}

const noEmbeddings = (row: string, reason: string): Skip => ({ row, caseId: 'embeddings/round-trip', reason });

export const skips: readonly Skip[] = [
  noEmbeddings('anthropic', 'Anthropic has no embeddings API.'),
  noEmbeddings('groq', 'Groq offers no embeddings endpoint.'),
  noEmbeddings('deepseek', 'DeepSeek offers no embeddings endpoint.'),
  {
    row: 'bedrock',
    caseId: 'vision/url',
    reason: 'Converse takes image bytes only, so an image URL is refused before sending (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ImageSource.html).',
  },
  {
    row: 'bedrock',
    caseId: 'errors/permission/retryability',
    reason: 'The Bedrock adapter marks permission_denied retryable on purpose: model access is granted per account and region, so another deployment may succeed.',
  },
  { row: 'bedrock', caseId: 'errors/rate-limited/retry-after', reason: 'ThrottlingException carries no Retry-After; routing applies its own backoff.' },
  { row: 'cohere', caseId: 'errors/rate-limited/retry-after', reason: 'Cohere documents no Retry-After on 429 (https://docs.cohere.com/reference/errors).' },
  {
    row: 'cohere',
    caseId: 'usage/cached',
    reason: "Cohere's cached_tokens counts against its template-inclusive token count, not the billed units the adapter reports, so no cache split is billed.",
  },
  { row: 'mistral', caseId: 'usage/cached', reason: 'Mistral reports no cached-token counts.' },
  { row: 'ollama', caseId: 'usage/cached', reason: "Ollama's OpenAI-compatible API reports no cached tokens." },
  { row: 'ollama', caseId: 'errors/context-length', reason: 'Ollama truncates the prompt to num_ctx instead of answering an error.' },
  { row: 'ollama', caseId: 'errors/authentication', reason: 'Ollama has no authentication.' },
  { row: 'ollama', caseId: 'errors/permission', reason: 'Ollama has no authentication, so no permissions.' },
  { row: 'ollama', caseId: 'errors/rate-limited', reason: 'A local Ollama server queues requests; it does not rate limit.' },
  { row: 'vllm', caseId: 'errors/permission', reason: 'vLLM has one optional API key and no per-model permissions.' },
  { row: 'vllm', caseId: 'errors/rate-limited', reason: 'vLLM queues requests; it does not rate limit.' },
  { row: 'deepseek', caseId: 'errors/permission', reason: 'DeepSeek documents no 403 answer (https://api-docs.deepseek.com/quick_start/error_codes).' },
];

export function skipFor(row: string, caseId: string): Skip | undefined {
  return skips.find((skip) => skip.row === row && (skip.caseId === caseId || caseId.startsWith(`${skip.caseId}/`)));
}
