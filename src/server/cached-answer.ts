import type { ServerResponse } from 'node:http';
import type { CachedAnswer } from '../cache/cache-store.js';
import type { CachePlan } from '../cache/response-cache.js';
import type { ChatRequest, ChatResponse, StreamPart, Usage } from '../core/canonical.js';
import type { RequestRecord } from '../ledger/ledger-record.js';
import type { ExecutionContext } from '../routing/attempt-loop.js';
import type { ChatCodec } from './chat-pipeline.js';
import { executeEmbeddings } from './embeddings-pipeline.js';
import type { Gateway } from './gateway.js';

/** Looks the request up in the cache; a semantic lookup embeds the prompt as an attempt of this request. */
export function lookupCached(gateway: Gateway, plan: CachePlan, request: ChatRequest, context: ExecutionContext): Promise<CachedAnswer | undefined> {
  return gateway.cache.lookup(plan, request, async (model, text) => {
    const resolution = gateway.registry.resolve(model);
    const outcome = await executeEmbeddings({ model, input: [text] }, resolution.deployments, context);
    return outcome.response.embeddings[0] ?? [];
  });
}

/** The parts a cached answer replays as when the client asked for a stream. */
function partsOf(answer: CachedAnswer): StreamPart[] {
  const { response } = answer;
  const parts: StreamPart[] = [{ type: 'stream-start', id: response.id, model: response.model, created: response.created }];
  if (response.reasoning) parts.push({ type: 'reasoning-delta', text: response.reasoning });
  if (response.text) parts.push({ type: 'text-delta', text: response.text });
  response.toolCalls.forEach((call, index) => {
    parts.push({ type: 'tool-call-start', index, id: call.id, name: call.name });
    parts.push({ type: 'tool-call-delta', index, argumentsDelta: call.arguments });
  });
  parts.push({ type: 'usage', usage: answer.usage }, { type: 'finish', finishReason: response.finishReason, rawFinishReason: response.rawFinishReason });
  return parts;
}

/** Answers from the cache, as JSON or as a replayed stream, and marks the ledger record with what it saved. */
export function serveCached(answer: CachedAnswer, request: ChatRequest, http: { response: ServerResponse; codec: ChatCodec; requestId: string }, record: RequestRecord): void {
  const { response, codec, requestId } = http;
  record.cacheHit = true;
  record.savedUsd = answer.costUsd;
  if (!request.stream) {
    const body = JSON.stringify(codec.encodeResponse(answer.response, answer.usage, requestId, request.model, request));
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-switchyard-cache': 'hit' });
    response.end(body);
    return;
  }
  const encoder = codec.createStreamEncoder(requestId, request.model, request);
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-switchyard-cache': 'hit' });
  let text = encoder.open ? encoder.open() : '';
  for (const part of partsOf(answer)) text += encoder.encode(part);
  response.end(text + encoder.close(answer.usage));
}

/** Collects a streamed answer into a response that can be cached once the stream finished cleanly. */
export class StreamCollector {
  private text = '';
  private reasoning = '';
  private readonly calls: Array<{ id: string; name: string; arguments: string }> = [];
  private start: Extract<StreamPart, { type: 'stream-start' }> | undefined;
  private finish: Extract<StreamPart, { type: 'finish' }> | undefined;
  usage: Usage | undefined;

  observe(part: StreamPart): void {
    if (part.type === 'stream-start') this.start = part;
    else if (part.type === 'text-delta') this.text += part.text;
    else if (part.type === 'reasoning-delta') this.reasoning += part.text;
    else if (part.type === 'tool-call-start') this.calls[part.index] = { id: part.id, name: part.name, arguments: '' };
    else if (part.type === 'tool-call-delta') {
      const call = this.calls[part.index];
      if (call) call.arguments += part.argumentsDelta;
    } else if (part.type === 'usage') this.usage = part.usage;
    else if (part.type === 'finish') this.finish = part;
  }

  response(): ChatResponse | undefined {
    if (!this.finish) return undefined;
    const response: ChatResponse = {
      id: this.start?.id ?? '',
      model: this.start?.model ?? '',
      created: this.start?.created ?? Math.floor(Date.now() / 1000),
      text: this.text,
      toolCalls: this.calls.filter(Boolean),
      finishReason: this.finish.finishReason,
      rawFinishReason: this.finish.rawFinishReason,
      usage: this.usage,
    };
    if (this.reasoning) response.reasoning = this.reasoning;
    return response;
  }
}
