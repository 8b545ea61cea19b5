import { invalid, optionalBoolean, optionalNumber, optionalString, requireArray, requireObject, requireString, type Json } from './field-reader.js';

const efforts = new Set(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']);
const verbosities = new Set(['low', 'medium', 'high']);
const modalities = new Set(['text', 'audio']);

function optionalObject(value: unknown, param: string): Json | undefined {
  return value === undefined || value === null ? undefined : requireObject(value, param);
}

function oneOf(value: string | undefined, allowed: Set<string>, param: string): void {
  if (value !== undefined && !allowed.has(value)) throw invalid(param, `expected one of ${[...allowed].map((item) => JSON.stringify(item)).join(', ')}, got ${JSON.stringify(value)}.`);
}

/** `reasoning_effort` as OpenAI documents it (https://platform.openai.com/docs/api-reference/chat/create). */
export function decodeReasoningEffort(body: Json): string | undefined {
  const effort = optionalString(body.reasoning_effort, 'reasoning_effort');
  oneOf(effort, efforts, 'reasoning_effort');
  return effort;
}

function checkMetadata(body: Json): void {
  const metadata = optionalObject(body.metadata, 'metadata');
  for (const [key, value] of Object.entries(metadata ?? {})) requireString(value, `metadata.${key}`);
}

function checkLogprobs(body: Json): void {
  const logprobs = optionalBoolean(body.logprobs, 'logprobs');
  const top = optionalNumber(body.top_logprobs, 'top_logprobs', { min: 0, max: 20, integer: true });
  if (top !== undefined && logprobs !== true) throw invalid('top_logprobs', 'needs "logprobs": true.');
}

function checkAudio(body: Json): void {
  if (body.modalities !== undefined && body.modalities !== null) {
    requireArray(body.modalities, 'modalities').forEach((item, index) => oneOf(requireString(item, `modalities[${index}]`), modalities, `modalities[${index}]`));
  }
  optionalObject(body.audio, 'audio');
}

/**
 * Checks the Chat Completions fields the canonical request does not model. They travel in the native body to an
 * OpenAI-wire provider; `openai-fields-fit.ts` decides what other targets do with them.
 */
export function checkOpenAiOnlyFields(body: Json): void {
  oneOf(optionalString(body.verbosity, 'verbosity'), verbosities, 'verbosity');
  optionalBoolean(body.store, 'store');
  checkMetadata(body);
  optionalString(body.prompt_cache_key, 'prompt_cache_key');
  optionalString(body.service_tier, 'service_tier');
  const prediction = optionalObject(body.prediction, 'prediction');
  if (prediction !== undefined && prediction.type !== 'content') throw invalid('prediction.type', 'expected "content".');
  checkLogprobs(body);
  optionalNumber(body.n, 'n', { min: 1, max: 128, integer: true });
  checkAudio(body);
  optionalObject(body.web_search_options, 'web_search_options');
}
