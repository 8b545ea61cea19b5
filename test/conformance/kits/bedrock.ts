import type { ToolChoice } from '../../../src/core/canonical.js';
import type { ErrorContext } from '../../../src/core/provider.js';
import { encodeAwsEvent } from '../../../src/providers/shared/aws-eventstream.js';
import { answer, type UsageCounts } from '../canonical-cases.js';
import type { ErrorClass, JsonBody, RequestReader, WireItem, WireKit } from '../wire-kit.js';
import { bearer, concatBytes, jsonError, jsonInstructionReadback, list, record, text, toolReadback } from './wire-helpers.js';

/**
 * Converse and ConverseStream wire format:
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html and ..._ConverseStream.html
 */

const modelId = 'amazon.nova-pro-v1:0';
const toolIds = ['tooluse_Pq4parisWeather01', 'tooluse_Tk7tokyoTime02'] as const;
const apiKey = 'ABSKQmVkcm9ja0NvbmZvcm1hbmNlS2V5MDEyMzQ1Njc4OQ';
const host = 'https://bedrock-runtime.eu-west-1.amazonaws.com';

function usage(counts: UsageCounts, cacheWrite = 0): Record<string, unknown> {
  const value: Record<string, unknown> = { inputTokens: counts.input, outputTokens: counts.output, totalTokens: counts.input + counts.cacheRead + cacheWrite + counts.output };
  if (counts.cacheRead > 0 || cacheWrite > 0) {
    value.cacheReadInputTokens = counts.cacheRead;
    value.cacheWriteInputTokens = cacheWrite;
  }
  return value;
}

function converse(content: unknown[], stopReason: string, counts: UsageCounts, cacheWrite = 0): Record<string, unknown> {
  return { output: { message: { role: 'assistant', content } }, stopReason, usage: usage(counts, cacheWrite), metrics: { latencyMs: 412 } };
}

const toolUseBlocks = answer.toolCalls.map((call, index) => ({ toolUse: { toolUseId: toolIds[index], name: call.name, input: call.arguments } }));

/** Each ConverseStream event is one event-stream message; real payloads carry a random-length `p` padding field. */
function frames(events: Array<[string, Record<string, unknown>]>): Uint8Array {
  return concatBytes(events.map(([type, payload], index) => encodeAwsEvent(type, { ...payload, p: 'abcdefghij'.slice(0, (index % 9) + 1) })));
}

function textBlock(index: number, pieces: readonly string[]): Array<[string, Record<string, unknown>]> {
  return [
    ...pieces.map((piece): [string, Record<string, unknown>] => ['contentBlockDelta', { contentBlockIndex: index, delta: { text: piece } }]),
    ['contentBlockStop', { contentBlockIndex: index }],
  ];
}

function closing(stopReason: string, counts: UsageCounts): Array<[string, Record<string, unknown>]> {
  return [
    ['messageStop', { stopReason }],
    ['metadata', { usage: usage(counts), metrics: { latencyMs: 388 } }],
  ];
}

function toolStream(): Uint8Array {
  const blocks = answer.toolCalls.flatMap((call, offset): Array<[string, Record<string, unknown>]> => {
    const contentBlockIndex = offset + 1;
    return [
      ['contentBlockStart', { contentBlockIndex, start: { toolUse: { toolUseId: toolIds[offset], name: call.name } } }],
      ...call.fragments.map((input): [string, Record<string, unknown>] => ['contentBlockDelta', { contentBlockIndex, delta: { toolUse: { input } } }]),
      ['contentBlockStop', { contentBlockIndex }],
    ];
  });
  return frames([['messageStart', { role: 'assistant' }], ...textBlock(0, [answer.preamble]), ...blocks, ...closing('tool_use', answer.toolUsage)]);
}

function midStreamError(): Uint8Array {
  const start = frames([['messageStart', { role: 'assistant' }], ...textBlock(0, answer.textDeltas.slice(0, 2)).slice(0, -1)]);
  const exception = encodeAwsEvent('exception:modelStreamErrorException', { message: 'The model stopped responding in the middle of the stream.', originalStatusCode: 500 });
  return concatBytes([start, exception]);
}

/** Reasoning content before the text, signed (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ReasoningContentBlock.html). */
function reasoning(): WireKit['reasoning'] {
  const signature = 'c0nformanceBedrockReasoningSignature';
  const thinking: Array<[string, Record<string, unknown>]> = [
    ...answer.reasoningDeltas.map((piece): [string, Record<string, unknown>] => ['contentBlockDelta', { contentBlockIndex: 0, delta: { reasoningContent: { text: piece } } }]),
    ['contentBlockDelta', { contentBlockIndex: 0, delta: { reasoningContent: { signature } } }],
    ['contentBlockStop', { contentBlockIndex: 0 }],
  ];
  return {
    response: converse([{ reasoningContent: { reasoningText: { text: answer.reasoning, signature } } }, { text: answer.text }], 'end_turn', answer.reasoningUsage),
    stream: frames([['messageStart', { role: 'assistant' }], ...thinking, ...textBlock(1, answer.textDeltas), ...closing('end_turn', answer.reasoningUsage)]),
    // Converse does not break reasoning out of outputTokens.
    reasoningTokens: 0,
  };
}

function truncated(): WireKit['truncated'] {
  return {
    response: converse([{ text: answer.truncatedText }], 'max_tokens', answer.truncatedUsage),
    stream: frames([['messageStart', { role: 'assistant' }], ...textBlock(0, answer.truncatedDeltas), ...closing('max_tokens', answer.truncatedUsage)]),
  };
}

function awsError(status: number, errorType: string, message: string): ErrorContext {
  return jsonError(status, { message }, { 'x-amzn-errortype': `${errorType}:http://internal.amazon.com/coral/com.amazon.bedrock/`, 'x-amzn-requestid': '7f3e9b2c-0d41-4a8e-b6c5-c0nformance01' });
}

/** https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_Errors */
const errors: Record<ErrorClass, ErrorContext> = {
  'context-length': awsError(400, 'ValidationException', 'Input is too long for requested model.'),
  authentication: awsError(403, 'UnrecognizedClientException', `The security token included in the request is invalid: ${apiKey}`),
  permission: awsError(403, 'AccessDeniedException', "You don't have access to the model with the specified model ID."),
  // An unknown or mistyped model id is a ValidationException, not ResourceNotFoundException.
  'not-found': awsError(400, 'ValidationException', 'The provided model identifier is invalid.'),
  'rate-limited': awsError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.'),
  'server-error': awsError(500, 'InternalServerException', 'The server encountered an internal error while processing the request.'),
  overloaded: awsError(503, 'ServiceUnavailableException', 'Bedrock is unable to process your request.'),
};

function blockItems(role: 'user' | 'assistant', value: unknown): WireItem[] {
  const block = record(value);
  if (typeof block.text === 'string') return [{ kind: 'text', role, text: block.text }];
  const image = record(block.image);
  if (image.format !== undefined) return [{ kind: 'image', data: text(record(image.source).bytes) ?? '', mediaType: `image/${text(image.format) ?? ''}` }];
  const call = record(block.toolUse);
  if (call.toolUseId !== undefined) return [{ kind: 'tool-call', id: text(call.toolUseId), name: text(call.name) ?? '', arguments: call.input }];
  const result = record(block.toolResult);
  if (result.toolUseId !== undefined) {
    const content = list(result.content).map((item) => text(record(item).text) ?? '').join('');
    return [{ kind: 'tool-result', callId: text(result.toolUseId), name: undefined, content }];
  }
  return [];
}

function systemText(body: JsonBody): string {
  return list(body.system).map((block) => text(record(block).text) ?? '').join('\n\n');
}

/** Converse has no "none" choice: the adapter leaves the tools out instead, so a body without toolConfig reads as none. */
function toolChoice(body: JsonBody): ToolChoice | undefined {
  if (body.toolConfig === undefined) return 'none';
  const choice = record(record(body.toolConfig).toolChoice);
  if (choice.auto !== undefined) return 'auto';
  if (choice.any !== undefined) return 'required';
  if (choice.tool !== undefined) return { name: text(record(choice.tool).name) ?? '' };
  return undefined;
}

const reader: RequestReader = {
  items(body) {
    const system = systemText(body);
    const messages = list(body.messages).flatMap((value) => {
      const message = record(value);
      return list(message.content).flatMap((block) => blockItems(message.role === 'assistant' ? 'assistant' : 'user', block));
    });
    return [...(system === '' ? [] : [{ kind: 'system' as const, text: system }]), ...messages];
  },
  tools: (body) =>
    list(record(body.toolConfig).tools).map((value) => {
      const spec = record(record(value).toolSpec);
      return toolReadback(spec.name, spec.description, record(spec.inputSchema).json);
    }),
  toolChoice,
  jsonMode: (body) => jsonInstructionReadback(systemText(body)),
  maxTokens: (body) => {
    const value = record(body.inferenceConfig).maxTokens;
    return typeof value === 'number' ? value : undefined;
  },
};

export function bedrockKit(): WireKit {
  const cachedWrite = 16;
  return {
    upstreamModel: modelId,
    endpoint: { name: 'bedrock-eu', baseUrl: '', apiKey, options: { region: 'eu-west-1' } },
    chatUrl: (stream) => `${host}/model/${encodeURIComponent(modelId)}/${stream ? 'converse-stream' : 'converse'}`,
    credentialOf: (request) => bearer(request.headers),
    isStreamRequest: (request) => request.url.endsWith('/converse-stream'),
    read: reader,
    wireCarriesToolIds: true,
    responses: {
      text: converse([{ text: answer.text }], 'end_turn', answer.textUsage),
      toolCalls: converse([{ text: answer.preamble }, ...toolUseBlocks], 'tool_use', answer.toolUsage),
      json: converse([{ text: JSON.stringify(answer.json) }], 'end_turn', answer.jsonUsage),
      cachedUsage: converse([{ text: answer.text }], 'end_turn', answer.cachedUsage, cachedWrite),
    },
    streams: {
      text: frames([['messageStart', { role: 'assistant' }], ...textBlock(0, answer.textDeltas), ...closing('end_turn', answer.textUsage)]),
      toolCalls: toolStream(),
      midStreamError: midStreamError(),
    },
    reasoning: reasoning(),
    truncated: truncated(),
    errors,
    expect: {
      responseId: /^bedrock-[0-9a-f-]{36}$/,
      streamId: /^bedrock-[0-9a-f-]{36}$/,
      model: modelId,
      toolCallIds: toolIds,
      rawFinish: { stop: 'end_turn', toolCalls: 'tool_use' },
      cacheWriteTokens: cachedWrite,
      retryAfterMs: undefined,
    },
    // Cohere Embed through InvokeModel: several texts per call, the vectors under `embeddings`.
    embeddings: {
      upstreamModel: 'cohere.embed-multilingual-v3',
      url: `${host}/model/cohere.embed-multilingual-v3/invoke`,
      inputsOf: (body) => list(body.texts).map((item) => (typeof item === 'string' ? item : '')),
      response: { id: 'a7c8e1f0-4b2d-4c61-9d0e-3f2a1b5c6d7e', texts: ['harbour at dawn', 'night market'], embeddings: answer.embeddings, response_type: 'embeddings_floats' },
    },
  };
}
