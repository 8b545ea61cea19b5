import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeAwsEvent } from '../../src/providers/shared/aws-eventstream.js';
import {
  headerText, isRecord, replyAfterTools, replyPieces, simulatedReply, simulatedToolCalls, simulatedUsage, startProviderSimulator, throughFirst, writeJson, writeStream,
  type ProviderBehaviour, type ProviderSimulator,
} from './loopback-server.js';
import { SimulatedPromptCache, type PromptBlock, type SimulatedPromptCacheOptions } from './prompt-cache-simulation.js';
import { scriptedAgentTurn } from './scripted-agent.js';

export interface BedrockSimulatorOptions {
  /** When set, a signature made with any other access key is refused as the real service does. */
  accessKeyId?: string;
  /**
   * Requests with `cachePoint` blocks are always counted and cached as Bedrock does (prefixes of 1024 tokens and up).
   * With this option, the minimum is as given and requests without checkpoints are counted too (no longer the fixed
   * simulated usage), so that a conversation can be compared with and without caching.
   */
  promptCache?: SimulatedPromptCacheOptions;
}

type Usage = Record<string, number>;

export const bedrockToolUseIds = ['tooluse_sim_weather01', 'tooluse_sim_time02'] as const;

/** Error names by status: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_Errors */
const errorTypes: Record<number, { type: string; message: string }> = {
  400: { type: 'ValidationException', message: 'Malformed input request, please reformat your input and try again.' },
  403: { type: 'AccessDeniedException', message: "You don't have access to the model with the specified model ID." },
  404: { type: 'ResourceNotFoundException', message: 'Could not resolve the foundation model from the provided model identifier.' },
  408: { type: 'ModelTimeoutException', message: 'Model has timed out in processing the request.' },
  424: { type: 'ModelErrorException', message: 'The model produced an error.' },
  429: { type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' },
  500: { type: 'InternalServerException', message: 'The server encountered an internal error.' },
  503: { type: 'ServiceUnavailableException', message: 'Bedrock is unable to process your request.' },
};

function sendError(response: ServerResponse, status: number, error: { type: string; message: string }, headers: Record<string, string> = {}): void {
  // The error name travels in a header; the body holds only the message.
  writeJson(response, status, { message: error.message }, {
    'x-amzn-errortype': `${error.type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    'x-amzn-requestid': 'sim-request-error',
    ...headers,
  });
}

const credentialPattern = /^AWS4-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{8})\/([a-z0-9-]+)\/bedrock\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=[0-9a-f]{64}$/;

/** Checks a SigV4 signature's structure (not its value): https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-signing-elements.html */
function checkSignature(request: IncomingMessage, options: BedrockSimulatorOptions, response: ServerResponse): boolean {
  const authorization = headerText(request, 'authorization');
  const date = headerText(request, 'x-amz-date');
  if (authorization === undefined || date === undefined) {
    sendError(response, 403, { type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
    return false;
  }
  const match = credentialPattern.exec(authorization);
  const signedHeaders = match?.[4]?.split(';') ?? [];
  if (!match || !/^\d{8}T\d{6}Z$/.test(date) || match[2] !== date.slice(0, 8) || !signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date')) {
    sendError(response, 403, { type: 'IncompleteSignatureException', message: 'The request signature does not conform to AWS standards.' });
    return false;
  }
  if (options.accessKeyId !== undefined && match[1] !== options.accessKeyId) {
    sendError(response, 403, { type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' });
    return false;
  }
  return true;
}

function lastTurnHasToolResults(body: Record<string, unknown>): boolean {
  const last = Array.isArray(body.messages) ? body.messages.at(-1) : undefined;
  return isRecord(last) && Array.isArray(last.content) && last.content.some((block) => isRecord(block) && isRecord(block.toolResult));
}

function wantsTools(body: Record<string, unknown>): boolean {
  const script = scriptedAgentTurn('bedrock', body, lastTurnHasToolResults(body));
  if (script) return script.calls.length > 0;
  const config = isRecord(body.toolConfig) ? body.toolConfig : undefined;
  return Array.isArray(config?.tools) && config.tools.length > 0 && !lastTurnHasToolResults(body);
}

function toolCalls(body: Record<string, unknown>): ReadonlyArray<{ name: string; input: unknown; fragments: readonly string[] }> {
  return scriptedAgentTurn('bedrock', body, lastTurnHasToolResults(body))?.calls ?? simulatedToolCalls;
}

function replyText(body: Record<string, unknown>): string {
  const script = scriptedAgentTurn('bedrock', body, lastTurnHasToolResults(body));
  if (script) return script.text;
  return lastTurnHasToolResults(body) ? replyAfterTools : simulatedReply;
}

/** A `cachePoint` marks the block before it; the prompt is in cache order, tools then system then messages. */
function markedBlocks(kind: string, blocks: unknown): PromptBlock[] {
  const result: PromptBlock[] = [];
  for (const block of Array.isArray(blocks) ? blocks : []) {
    const last = result.at(-1);
    if (isRecord(block) && block.cachePoint !== undefined) {
      if (last) last.breakpoint = true;
    } else result.push({ content: { [kind]: block }, breakpoint: false });
  }
  return result;
}

function promptBlocks(body: Record<string, unknown>): PromptBlock[] {
  const tools = isRecord(body.toolConfig) ? markedBlocks('tool', body.toolConfig.tools) : [];
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const turns = messages.flatMap((message) => (isRecord(message) ? markedBlocks(String(message.role), message.content) : []));
  return [...tools, ...markedBlocks('system', body.system), ...turns];
}

/**
 * `inputTokens` counts only what was neither read from nor written to the cache; `totalTokens` adds all of them.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html
 */
function usageOf(modelId: string, body: Record<string, unknown>, cache: SimulatedPromptCache, options: BedrockSimulatorOptions): Usage {
  const blocks = promptBlocks(body);
  const { output } = simulatedUsage;
  if (options.promptCache === undefined && !blocks.some((block) => block.breakpoint)) {
    const { freshInput, cachedInput } = simulatedUsage;
    return { inputTokens: freshInput, outputTokens: output, totalTokens: freshInput + cachedInput + output, cacheReadInputTokens: cachedInput, cacheWriteInputTokens: 0 };
  }
  const counted = cache.use(modelId, blocks);
  return {
    inputTokens: counted.uncached,
    outputTokens: output,
    totalTokens: counted.uncached + counted.read + counted.written + output,
    cacheReadInputTokens: counted.read,
    cacheWriteInputTokens: counted.written,
  };
}

function converseResponse(body: Record<string, unknown>, usage: Usage): Record<string, unknown> {
  const tools = wantsTools(body);
  const content = tools
    ? toolCalls(body).map((call, index) => ({ toolUse: { toolUseId: bedrockToolUseIds[index], name: call.name, input: call.input } }))
    : [{ text: replyText(body) }];
  return { output: { message: { role: 'assistant', content } }, stopReason: tools ? 'tool_use' : 'end_turn', usage, metrics: { latencyMs: 412 } };
}

function contentEvents(body: Record<string, unknown>): Array<[string, Record<string, unknown>]> {
  if (!wantsTools(body)) {
    return [
      ...replyPieces(replyText(body)).map((text): [string, Record<string, unknown>] => ['contentBlockDelta', { contentBlockIndex: 0, delta: { text } }]),
      ['contentBlockStop', { contentBlockIndex: 0 }],
    ];
  }
  return toolCalls(body).flatMap((call, contentBlockIndex): Array<[string, Record<string, unknown>]> => [
    ['contentBlockStart', { contentBlockIndex, start: { toolUse: { toolUseId: bedrockToolUseIds[contentBlockIndex], name: call.name } } }],
    ...call.fragments.map((input): [string, Record<string, unknown>] => ['contentBlockDelta', { contentBlockIndex, delta: { toolUse: { input } } }]),
    ['contentBlockStop', { contentBlockIndex }],
  ]);
}

/** ConverseStream's events in order: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStreamOutput.html */
export function bedrockStreamEvents(body: Record<string, unknown>, usage: Usage): Array<[string, Record<string, unknown>]> {
  return [
    ['messageStart', { role: 'assistant' }],
    ...contentEvents(body),
    ['messageStop', { stopReason: wantsTools(body) ? 'tool_use' : 'end_turn' }],
    ['metadata', { usage, metrics: { latencyMs: 388 } }],
  ];
}

/** Bedrock pads each event with a `p` field of varying length (against size side channels); clients ignore it. */
function padding(index: number): string {
  return 'abcdefghijklmnopqrstuvwxyz'.slice(0, 1 + (index * 7) % 26);
}

/** Frames are written in two pieces so the reader has to join a message split across reads. */
function framePieces(events: Array<[string, Record<string, unknown>]>): Uint8Array[] {
  return events.flatMap(([eventType, payload], index) => {
    const frame = encodeAwsEvent(eventType, { ...payload, p: padding(index) });
    const cut = Math.floor(frame.length / 2);
    return [frame.subarray(0, cut), frame.subarray(cut)];
  });
}

/** A failure mid-stream is an exception message: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStreamOutput.html */
async function stream(body: Record<string, unknown>, usage: Usage, behaviour: ProviderBehaviour, response: ServerResponse): Promise<void> {
  response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'sim-request-1' });
  const events = bedrockStreamEvents(body, usage);
  if (behaviour.kind !== 'stream-error') {
    await writeStream(response, framePieces(events));
    return;
  }
  const frame = encodeAwsEvent('exception:modelStreamErrorException', { message: 'The model stream failed.', originalStatusCode: 500 });
  await writeStream(response, framePieces(throughFirst(events, ([eventType]) => eventType === 'contentBlockDelta')), { frame, release: behaviour.release });
}

const routePattern = /^\/model\/([^/]+)\/(converse|converse-stream|invoke)$/;

/** A vector per text that depends on the text, so order and content can be checked. */
function simulatedVector(text: string): number[] {
  return [text.length, text.charCodeAt(0) || 0, 0.5];
}

/**
 * InvokeModel for the embedding families: Cohere Embed (texts in, `embeddings` out, the token count only in the
 * `x-amzn-bedrock-input-token-count` header) and Titan Text Embeddings (one `inputText`, `inputTextTokenCount`).
 */
function invokeEmbedding(modelId: string, body: Record<string, unknown>, response: ServerResponse): void {
  if (modelId.includes('cohere.embed')) {
    const texts = Array.isArray(body.texts) ? body.texts.map(String) : [];
    if (texts.length === 0 || typeof body.input_type !== 'string') {
      sendError(response, 400, { type: 'ValidationException', message: 'Malformed input request: texts and input_type are required.' });
      return;
    }
    const tokens = texts.reduce((sum, text) => sum + text.split(/\s+/).length, 0);
    writeJson(response, 200, { id: 'sim-embed-1', texts, embeddings: texts.map(simulatedVector), response_type: 'embeddings_floats' }, { 'x-amzn-bedrock-input-token-count': String(tokens) });
    return;
  }
  if (typeof body.inputText !== 'string') {
    sendError(response, 400, { type: 'ValidationException', message: 'Malformed input request: inputText is required.' });
    return;
  }
  const embedding = simulatedVector(body.inputText);
  writeJson(response, 200, { embedding, inputTextTokenCount: body.inputText.split(/\s+/).length, embeddingsByType: { float: embedding } });
}

/** Bedrock's Converse and ConverseStream APIs on loopback (POST /model/{modelId}/converse[-stream]), and InvokeModel for embeddings. */
export async function startBedrockSimulator(options: BedrockSimulatorOptions = {}): Promise<ProviderSimulator> {
  const cache = new SimulatedPromptCache(options.promptCache);
  return startProviderSimulator({
    rejectBody: (response) => sendError(response, 400, { type: 'SerializationException', message: 'Unexpected token in the request body.' }),
    async answer(request, body, response, behaviour) {
      const route = routePattern.exec(request.url ?? '');
      if (request.method !== 'POST' || !route) {
        sendError(response, 404, { type: 'UnknownOperationException', message: 'Unknown operation.' });
        return;
      }
      if (!checkSignature(request, options, response)) return;
      if (behaviour.kind === 'status') {
        sendError(response, behaviour.status, errorTypes[behaviour.status] ?? { type: 'InternalServerException', message: `simulated ${behaviour.status}` }, behaviour.headers);
        return;
      }
      if (route[2] === 'invoke') {
        invokeEmbedding(decodeURIComponent(route[1] ?? ''), body, response);
        return;
      }
      if (!Array.isArray(body.messages) || body.messages.length === 0) {
        sendError(response, 400, { type: 'ValidationException', message: 'A conversation must start with a user message.' });
        return;
      }
      const usage = usageOf(decodeURIComponent(route[1] ?? ''), body, cache, options);
      if (route[2] === 'converse-stream') await stream(body, usage, behaviour, response);
      else writeJson(response, 200, converseResponse(body, usage), { 'x-amzn-requestid': 'sim-request-1' });
    },
  });
}
