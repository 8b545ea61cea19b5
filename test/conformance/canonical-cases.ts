import type { ChatRequest, EmbeddingRequest, Message, ToolDefinition, Usage } from '../../src/core/canonical.js';

/**
 * The one conversation every adapter is run through, and the one canonical answer every provider's wire format
 * must decode to. Kits write their wire bodies from these values, so a difference in the decoded result is a
 * difference in translation, never in test data.
 */

export const weatherTool: ToolDefinition = {
  name: 'get_weather',
  description: 'Current weather for a city.',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string', description: 'City name' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
    required: ['city'],
  },
};

export const timeTool: ToolDefinition = {
  name: 'get_local_time',
  description: 'Local time in a city.',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

/** A 1×1 PNG, small enough to inline. */
export const pixelPng = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
export const imageUrl = 'https://images.example.com/harbour.png';

export const earlierCalls = [
  { id: 'call_weather_paris', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
  { id: 'call_time_tokyo', name: 'get_local_time', arguments: '{"city":"Tokyo"}' },
] as const;

/** A full turn: system prompt, user question, the assistant's two tool calls and both results. */
export const conversation: Message[] = [
  { role: 'system', content: 'You are a concise travel assistant.' },
  { role: 'user', content: [{ type: 'text', text: 'Is it sunny in Paris, and what time is it in Tokyo?' }] },
  {
    role: 'assistant',
    content: [{ type: 'text', text: 'Let me check both.' }],
    toolCalls: earlierCalls.map((call) => ({ ...call })),
  },
  { role: 'tool', toolCallId: 'call_weather_paris', content: '{"sky":"sunny","temperature":22}' },
  { role: 'tool', toolCallId: 'call_time_tokyo', content: '{"time":"21:05"}' },
];

export function chatRequest(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'travel-assistant', messages: conversation, tools: [weatherTool, timeTool], toolChoice: 'auto', maxTokens: 300, stream: false, ...overrides };
}

export function visionRequest(image: { data: string; mediaType: string } | { url: string }): ChatRequest {
  return {
    model: 'travel-assistant',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Which harbour is this?' }, { type: 'image', ...image }] }],
    maxTokens: 200,
    stream: false,
  };
}

export const reportSchema = {
  type: 'object',
  properties: { city: { type: 'string' }, temperature: { type: 'number' } },
  required: ['city', 'temperature'],
};

export function jsonRequest(format: 'json' | 'json-schema'): ChatRequest {
  return {
    model: 'travel-assistant',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Report the weather in Paris as JSON.' }] }],
    responseFormat: format === 'json' ? { type: 'json' } : { type: 'json-schema', name: 'weather_report', schema: reportSchema },
    maxTokens: 100,
    stream: false,
  };
}

export const embeddingRequest: EmbeddingRequest = { model: 'travel-embedder', input: ['harbour at dawn', 'night market'] };

/** Splits text at the given offsets, so fragments always join back to the exact text. */
function splitAt(text: string, offsets: number[]): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (const offset of [...offsets, text.length]) {
    pieces.push(text.slice(start, offset));
    start = offset;
  }
  return pieces.filter((piece) => piece !== '');
}

const weatherArguments = { city: 'Paris', unit: 'celsius' };
const timeArguments = { city: 'Tokyo' };

export interface CanonicalToolCall {
  name: string;
  arguments: Record<string, unknown>;
  /** The arguments' JSON text cut where a provider streaming it in fragments might cut it. */
  fragments: string[];
}

export interface UsageCounts {
  input: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
}

export const answer = {
  text: 'Paris is sunny ☀ at 22 °C.',
  /** Cut inside words and next to multi-byte characters. */
  textDeltas: ['Paris is', ' sunny ☀', ' at 22', ' °C.'],
  /** The text a model writes before it calls tools. */
  preamble: 'Let me check both.',
  toolCalls: [
    { name: 'get_weather', arguments: weatherArguments, fragments: splitAt(JSON.stringify(weatherArguments), [8, 12, 28]) },
    { name: 'get_local_time', arguments: timeArguments, fragments: splitAt(JSON.stringify(timeArguments), [4, 12]) },
  ] satisfies CanonicalToolCall[],
  json: { city: 'Paris', temperature: 22 },
  textUsage: { input: 25, cacheRead: 0, cacheWrite: 0, output: 9 } satisfies UsageCounts,
  toolUsage: { input: 140, cacheRead: 0, cacheWrite: 0, output: 38 } satisfies UsageCounts,
  jsonUsage: { input: 18, cacheRead: 0, cacheWrite: 0, output: 11 } satisfies UsageCounts,
  /** Cache writes are filled in per kit: only some providers report them. */
  cachedUsage: { input: 20, cacheRead: 80, cacheWrite: 0, output: 12 } satisfies UsageCounts,
  embeddings: [[0.0125, -0.5, 0.25], [0.75, 0.0625, -0.125]],
  /** The reasoning a model writes before its text answer, where the provider gives reasoning text. */
  reasoning: 'Sunny and 22 °C in Paris; say so.',
  reasoningDeltas: ['Sunny and', ' 22 °C', ' in Paris; say so.'],
  /** Output tokens include the reasoning ones; how many of them were reasoning is reported by some providers only. */
  reasoningUsage: { input: 25, cacheRead: 0, cacheWrite: 0, output: 21 } satisfies UsageCounts,
  reasoningTokens: 12,
  /** An answer cut off at the token limit. */
  truncatedText: 'Paris is sunny',
  truncatedDeltas: ['Paris is', ' sunny'],
  truncatedUsage: { input: 25, cacheRead: 0, cacheWrite: 0, output: 4 } satisfies UsageCounts,
};

export function toUsage(counts: UsageCounts): Omit<Usage, 'raw' | 'estimated'> {
  return { inputTokens: counts.input, cacheReadTokens: counts.cacheRead, cacheWriteTokens: counts.cacheWrite, outputTokens: counts.output, reasoningTokens: 0 };
}
