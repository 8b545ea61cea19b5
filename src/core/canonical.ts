/**
 * The canonical request, response and stream that sit between every ingress codec and every provider adapter.
 * Neither OpenAI's nor Anthropic's wire format: each edge translates to and from these types.
 */

/**
 * Wire formats that an ingress and a provider may share. A request or answer whose two ends share one travels as the
 * client sent it (see `NativeBody`); across formats, only the canonical fields are translated.
 */
export type WireFormat = 'anthropic' | 'openai-chat' | 'openai-responses' | 'gemini' | 'bedrock';

/**
 * The body as the client sent it, beside the canonical request. Only the adapter of the same wire format reads it, to
 * send every field it holds (cache markers, signatures, fields this gateway does not model). The middle never reads
 * it; whatever rewrites the canonical messages (redaction) removes it, so that the rewritten messages are what is sent.
 */
export interface NativeBody {
  format: WireFormat;
  body: Record<string, unknown>;
  /** Client headers the provider of this format understands (for example `anthropic-beta`). */
  headers?: Record<string, string>;
}

/** Data of one wire format the canonical types do not model, keyed by format; an adapter reads only its own key. */
export type ProviderMetadata = Partial<Record<WireFormat, Record<string, unknown>>>;

/** A prompt-cache breakpoint after this part (Anthropic `cache_control`, Bedrock `cachePoint`). */
export interface CacheBreakpoint {
  /** Time to live, where the provider offers a choice (Anthropic: 5m or 1h). */
  ttl?: string;
}

export interface TextPart {
  type: 'text';
  text: string;
  cache?: CacheBreakpoint;
}

export interface ImagePart {
  type: 'image';
  /** An https URL or a `data:` URL. */
  url?: string;
  /** Base64 data when the image came inline. */
  data?: string;
  mediaType?: string;
  detail?: 'auto' | 'low' | 'high';
  cache?: CacheBreakpoint;
}

/** A document (PDF or plain text) given inline, by URL or by a provider's file id. */
export interface FilePart {
  type: 'file';
  mediaType?: string;
  /** Base64 data. */
  data?: string;
  url?: string;
  fileId?: string;
  filename?: string;
  /** Plain text of a text document. */
  text?: string;
  cache?: CacheBreakpoint;
}

export type ContentPart = TextPart | ImagePart | FilePart;

/**
 * One block of a model's reasoning as it came back, so that it can be returned to the provider that made it: Anthropic
 * thinking signatures and redacted thinking, OpenAI encrypted reasoning items, Gemini thought signatures.
 */
export interface ReasoningPart {
  text: string;
  /** The format whose provider produced it; opaque fields below are only sent back to that format. */
  format?: WireFormat;
  signature?: string;
  /** Encrypted reasoning with no readable text (Anthropic `redacted_thinking.data`, OpenAI `encrypted_content`). */
  encrypted?: string;
  /** The provider's own id of the reasoning item (OpenAI `rs_...`). */
  id?: string;
  /** Reasoning summaries (OpenAI Responses `summary`). */
  summary?: string[];
}

export interface ToolCall {
  id: string;
  name: string;
  /** JSON text of the arguments, exactly as the model produced it. */
  arguments: string;
  /** Format-specific data to send back with the call (a Gemini thought signature). */
  providerMetadata?: ProviderMetadata;
}

/** A system (or developer) message; anywhere in the conversation, not only first. */
export interface SystemMessage {
  role: 'system';
  content: string;
  cache?: CacheBreakpoint;
}

export interface UserMessage {
  role: 'user';
  content: ContentPart[];
}

export interface AssistantMessage {
  role: 'assistant';
  content: TextPart[];
  toolCalls?: ToolCall[];
  reasoning?: string;
  /** The reasoning blocks with what the provider needs to accept them back; `reasoning` is their readable text. */
  reasoningParts?: ReasoningPart[];
}

export interface ToolMessage {
  role: 'tool';
  toolCallId: string;
  content: string;
  isError?: boolean;
  cache?: CacheBreakpoint;
}

export type Message = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
  strict?: boolean;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json' }
  | { type: 'json-schema'; name: string; schema: Record<string, unknown>; strict?: boolean; description?: string };

export interface ChatRequest {
  /** The name the client asked for (a model alias or a route). Adapters use the deployment's upstream model instead. */
  model: string;
  messages: Message[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  responseFormat?: ResponseFormat;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stop?: string[];
  seed?: number;
  user?: string;
  reasoningEffort?: string;
  stream: boolean;
  /** Whether the client wants usage at the end of a stream (OpenAI `stream_options.include_usage`). */
  streamUsage?: boolean;
  /** Breakpoints on tools: cache everything up to and including the tool definitions. */
  cacheTools?: CacheBreakpoint;
  /** Adds prompt-cache breakpoints for providers that need explicit ones (from `promptCache: auto` in config). */
  promptCache?: 'auto';
  /** The body as the client sent it, for a provider of the same wire format. */
  native?: NativeBody;
}

export interface Usage {
  /** Input tokens billed at the full input price (excludes cache reads and writes). */
  inputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** All output tokens, reasoning included. */
  outputTokens: number;
  /** The part of `outputTokens` spent on reasoning. */
  reasoningTokens: number;
  /** True when counted by the gateway's tokenizer because the provider gave no usage. */
  estimated?: boolean;
  /** The provider's usage object as received. */
  raw?: unknown;
}

export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

export interface ChatResponse {
  id: string;
  model: string;
  created: number;
  text: string;
  reasoning?: string;
  reasoningParts?: ReasoningPart[];
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  rawFinishReason: string | undefined;
  usage: Usage | undefined;
  /** The provider's body as received, for an ingress of the same wire format to return unchanged. */
  native?: NativeBody;
}

export type StreamPart =
  | { type: 'stream-start'; id: string; model: string; created: number }
  | { type: 'text-delta'; text: string }
  | { type: 'reasoning-delta'; text: string }
  /** Closes the reasoning block so far with what the provider needs to accept it back. */
  | { type: 'reasoning-end'; part: ReasoningPart }
  | { type: 'tool-call-start'; index: number; id: string; name: string; providerMetadata?: ProviderMetadata }
  | { type: 'tool-call-delta'; index: number; argumentsDelta: string }
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; finishReason: FinishReason; rawFinishReason: string | undefined }
  | { type: 'error'; error: import('./errors.js').GatewayError }
  /**
   * One upstream event as received, sent beside the canonical parts it decoded to. An encoder of the same wire format
   * writes these instead of re-encoding, so that blocks the canonical parts do not model reach the client; every other
   * consumer ignores them.
   */
  | { type: 'native'; format: WireFormat; event: string | undefined; data: string };

export interface EmbeddingRequest {
  model: string;
  input: string[];
  dimensions?: number;
  encodingFormat?: 'float' | 'base64';
  user?: string;
}

export interface EmbeddingResponse {
  model: string;
  embeddings: number[][];
  usage: Usage | undefined;
}

export function emptyUsage(): Usage {
  return { inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 };
}

/** Total prompt tokens as clients count them (full-price, cache reads and cache writes). */
export function totalInputTokens(usage: Usage): number {
  return usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
}
