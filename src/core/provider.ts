import type { ChatRequest, ChatResponse, EmbeddingRequest, EmbeddingResponse, StreamPart } from './canonical.js';
import type { GatewayError } from './errors.js';

/** What an adapter needs to know about the provider account it talks to. */
export interface ProviderEndpoint {
  /** The provider's name in config (`openai`, `gpu-east`, ...). */
  name: string;
  baseUrl: string;
  apiKey?: string;
  /** Extra static headers from config. */
  headers?: Record<string, string>;
  /** Type-specific settings (Azure api-version, Bedrock region and credentials, ...). */
  options?: Record<string, unknown>;
}

/** One upstream HTTP request, built by an adapter and sent by the shared HTTP client. */
export interface UpstreamRequest {
  url: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body: string;
  /** `client` when the URL was taken from a request (an image to fetch): the outbound policy then allows only public addresses. */
  urlFrom?: 'client';
}

/** An event from the shared stream framer: SSE (`event`, `data`) or a decoded AWS event-stream message. */
export interface StreamEvent {
  event: string | undefined;
  data: string;
}

/** Turns one upstream stream, event by event, into canonical parts. Stateful; one per stream. */
export interface StreamDecoder {
  decode(event: StreamEvent): StreamPart[];
  /** Called when the upstream body ends; returns parts still owed (for example a finish that never came). */
  end(): StreamPart[];
}

export interface ErrorContext {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export type StreamFraming = 'sse' | 'aws-eventstream';

/** A wire format. Pure translation: no I/O, so it is tested on recorded fixtures. */
export interface ProviderAdapter {
  readonly type: string;
  readonly streamFraming: StreamFraming;
  /** May be async where signing needs a token exchange (Vertex AI service accounts). */
  buildChatRequest(request: ChatRequest, upstreamModel: string, endpoint: ProviderEndpoint): UpstreamRequest | Promise<UpstreamRequest>;
  parseChatResponse(body: unknown, upstreamModel: string): ChatResponse;
  createStreamDecoder(upstreamModel: string): StreamDecoder;
  classifyError(context: ErrorContext, endpoint: ProviderEndpoint): GatewayError;
  /** May be async, like `buildChatRequest`. */
  buildEmbeddingRequest?(request: EmbeddingRequest, upstreamModel: string, endpoint: ProviderEndpoint): UpstreamRequest | Promise<UpstreamRequest>;
  /** The most inputs one embedding call may carry for this model; longer requests are sent in batches of this size. */
  embeddingBatchSize?(upstreamModel: string): number;
  /** `headers` are the response's, for providers that report usage there (Bedrock's token-count headers). */
  parseEmbeddingResponse?(body: unknown, upstreamModel: string, headers?: Record<string, string | string[] | undefined>): EmbeddingResponse;
}
