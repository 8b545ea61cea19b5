import type { ToolChoice } from '../../src/core/canonical.js';
import type { ErrorContext, ProviderEndpoint, UpstreamRequest } from '../../src/core/provider.js';

/** The error classes every adapter must classify the same way. */
export const errorClasses = ['context-length', 'authentication', 'permission', 'not-found', 'rate-limited', 'server-error', 'overloaded'] as const;
export type ErrorClass = (typeof errorClasses)[number];

/** One entry of a request body read back into provider-neutral terms, in the order the provider receives it. */
export type WireItem =
  | { kind: 'system'; text: string }
  | { kind: 'text'; role: 'user' | 'assistant'; text: string }
  | { kind: 'image'; data?: string; mediaType?: string; url?: string }
  | { kind: 'tool-call'; id: string | undefined; name: string; arguments: unknown }
  /** Providers that match results by function name (Gemini) carry the name instead of the call id. */
  | { kind: 'tool-result'; callId: string | undefined; name: string | undefined; content: string };

export interface ToolReadback {
  name: string;
  description: string | undefined;
  propertyNames: string[];
  required: string[];
}

export type JsonModeReadback = { type: 'text' } | { type: 'json' } | { type: 'json-schema'; propertyNames: string[] };

export type JsonBody = Record<string, unknown>;

/** Small accessors that read the canonical request back out of a provider's body. */
export interface RequestReader {
  items(body: JsonBody): WireItem[];
  tools(body: JsonBody): ToolReadback[];
  /** `undefined` when the body leaves the choice to the provider's default. */
  toolChoice(body: JsonBody): ToolChoice | undefined;
  jsonMode(body: JsonBody): JsonModeReadback;
  maxTokens(body: JsonBody): number | undefined;
}

/** What a kit expects the adapter to carry through that the wire dictates (ids, raw finish reasons, counts only some report). */
export interface KitExpectations {
  responseId: string | RegExp;
  streamId: string | RegExp;
  model: string;
  /** The tool call ids on the wire, or `generated` where the wire carries none and the adapter must make them. */
  toolCallIds: readonly [string, string] | 'generated';
  rawFinish: { stop: string; toolCalls: string };
  cacheWriteTokens: number;
  /** What Retry-After (or the provider's own retry hint) in the 429 answer says, in milliseconds. */
  retryAfterMs: number | undefined;
}

/**
 * Everything the shared cases need from one provider, in that provider's exact wire format:
 * response bodies, streams as the raw bytes the provider sends, and error answers.
 */
export interface WireKit {
  upstreamModel: string;
  endpoint: ProviderEndpoint;
  chatUrl(stream: boolean): string;
  /** The credential the request carries, wherever the provider wants it. */
  credentialOf(request: UpstreamRequest): string | undefined;
  isStreamRequest(request: UpstreamRequest, body: JsonBody): boolean;
  read: RequestReader;
  /** False where the wire has no tool call ids and results are matched to calls by function name. */
  wireCarriesToolIds: boolean;
  /** `cachedUsage` reads 80 of 100 prompt tokens from cache; where a provider reports no cached tokens, skips.ts says so. */
  responses: { text: unknown; toolCalls: unknown; json: unknown; cachedUsage: unknown };
  streams: { text: Uint8Array; toolCalls: Uint8Array; midStreamError: Uint8Array };
  errors: Record<ErrorClass, ErrorContext>;
  expect: KitExpectations;
  /**
   * A text answer that reasons first (`answer.reasoning`, then `answer.text`), plain and streamed, where the provider
   * gives reasoning text; `reasoningTokens` is how many output tokens the wire reports as reasoning (0 where it does not).
   */
  reasoning?: { response: unknown; stream: Uint8Array; reasoningTokens: number };
  /** A text answer cut off at the token limit (`answer.truncatedText`), plain and streamed. */
  truncated?: { response: unknown; stream: Uint8Array };
  embeddings?: { upstreamModel: string; url: string; inputsOf(body: JsonBody): string[]; response: unknown };
  images?: { url: string; response: unknown };
}
