import assert from 'node:assert/strict';
import type OpenAI from 'openai';
import { anthropicToolUseIds } from '../simulators/anthropic-simulator.js';
import { bedrockToolUseIds } from '../simulators/bedrock-simulator.js';

type Body = Record<string, unknown>;
type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

export const weatherParameters = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
export const timeParameters = { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] };
export const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  { type: 'function', function: { name: 'get_weather', description: 'Weather of a city', parameters: weatherParameters } },
  { type: 'function', function: { name: 'get_time', description: 'Time in a zone', parameters: timeParameters } },
];
export const question: ChatMessage[] = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Weather and time in Paris?' }];
export const expectedCalls = [['get_weather', '{"city":"Paris"}'], ['get_time', '{"zone":"CET"}']];
export const toolOutputs = ['18°C and sunny', '14:05'];

export type UpstreamName = 'anthropic' | 'gemini' | 'bedrock';

/** What each wire format must have received for `question`; written per provider so a failure names the shape that was wrong. */
export interface WireChecks {
  toolCallIds: readonly (string | RegExp)[];
  checkPlainRequest(body: Body, path: string, headers: Record<string, unknown>): void;
  checkStreamRequest(body: Body, path: string): void;
  checkTools(body: Body): void;
  checkToolResults(body: Body, ids: string[]): void;
}

export const wireChecks: Record<UpstreamName, WireChecks> = {
  anthropic: {
    toolCallIds: anthropicToolUseIds,
    checkPlainRequest(body, path, headers) {
      assert.equal(path, '/v1/messages');
      assert.equal(headers['x-api-key'], 'sk-ant-sim-key');
      assert.equal(headers['anthropic-version'], '2023-06-01');
      assert.equal(body.model, 'claude-sonnet-4-5');
      assert.equal(body.system, 'Be brief.');
      assert.deepEqual(body.messages, [{ role: 'user', content: [{ type: 'text', text: 'Weather and time in Paris?' }] }]);
      assert.equal(body.max_tokens, 50);
      assert.equal(body.temperature, 0.2);
    },
    checkStreamRequest(body, path) {
      assert.equal(path, '/v1/messages');
      assert.equal(body.stream, true);
    },
    checkTools(body) {
      assert.deepEqual(body.tools, [
        { name: 'get_weather', description: 'Weather of a city', input_schema: weatherParameters },
        { name: 'get_time', description: 'Time in a zone', input_schema: timeParameters },
      ]);
      assert.deepEqual(body.tool_choice, { type: 'auto' });
    },
    checkToolResults(body, ids) {
      assert.deepEqual((body.messages as unknown[]).slice(1), [
        { role: 'assistant', content: [{ type: 'tool_use', id: ids[0], name: 'get_weather', input: { city: 'Paris' } }, { type: 'tool_use', id: ids[1], name: 'get_time', input: { zone: 'CET' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: ids[0], content: toolOutputs[0] }, { type: 'tool_result', tool_use_id: ids[1], content: toolOutputs[1] }] },
      ]);
    },
  },
  gemini: {
    // The Developer API gives function calls no ids, so the adapter makes fresh ones per answer.
    toolCallIds: [/^call_[a-z0-9]+_0$/, /^call_[a-z0-9]+_1$/],
    checkPlainRequest(body, path, headers) {
      assert.equal(path, '/v1beta/models/gemini-2.5-flash:generateContent');
      assert.equal(headers['x-goog-api-key'], 'gemini-sim-key');
      assert.deepEqual(body.systemInstruction, { parts: [{ text: 'Be brief.' }] });
      assert.deepEqual(body.contents, [{ role: 'user', parts: [{ text: 'Weather and time in Paris?' }] }]);
      assert.deepEqual(body.generationConfig, { temperature: 0.2, maxOutputTokens: 50 });
    },
    checkStreamRequest(_body, path) {
      assert.equal(path, '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    },
    checkTools(body) {
      assert.deepEqual(body.tools, [{
        functionDeclarations: [
          { name: 'get_weather', description: 'Weather of a city', parameters: weatherParameters },
          { name: 'get_time', description: 'Time in a zone', parameters: timeParameters },
        ],
      }]);
      assert.deepEqual(body.toolConfig, { functionCallingConfig: { mode: 'AUTO' } });
    },
    checkToolResults(body) {
      const contents = body.contents as Array<{ role: string; parts: Body[] }>;
      assert.equal(contents[1]?.role, 'model');
      assert.deepEqual(contents[1]?.parts.map((part) => part.functionCall), [{ name: 'get_weather', args: { city: 'Paris' } }, { name: 'get_time', args: { zone: 'CET' } }]);
      assert.deepEqual(contents[2], {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { output: toolOutputs[0] } } },
          { functionResponse: { name: 'get_time', response: { output: toolOutputs[1] } } },
        ],
      });
    },
  },
  bedrock: {
    toolCallIds: bedrockToolUseIds,
    checkPlainRequest(body, path, headers) {
      assert.equal(path, '/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse');
      assert.match(String(headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIASIMULATOR\/\d{8}\/eu-west-3\/bedrock\/aws4_request, SignedHeaders=[^,]*, Signature=[0-9a-f]{64}$/);
      assert.match(String(headers['x-amz-date']), /^\d{8}T\d{6}Z$/);
      assert.deepEqual(body.system, [{ text: 'Be brief.' }]);
      assert.deepEqual(body.messages, [{ role: 'user', content: [{ text: 'Weather and time in Paris?' }] }]);
      assert.deepEqual(body.inferenceConfig, { maxTokens: 50, temperature: 0.2 });
    },
    checkStreamRequest(_body, path) {
      assert.equal(path, '/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream');
    },
    checkTools(body) {
      assert.deepEqual(body.toolConfig, {
        tools: [
          { toolSpec: { name: 'get_weather', description: 'Weather of a city', inputSchema: { json: weatherParameters } } },
          { toolSpec: { name: 'get_time', description: 'Time in a zone', inputSchema: { json: timeParameters } } },
        ],
        toolChoice: { auto: {} },
      });
    },
    checkToolResults(body, ids) {
      assert.deepEqual((body.messages as unknown[]).slice(1), [
        { role: 'assistant', content: [{ toolUse: { toolUseId: ids[0], name: 'get_weather', input: { city: 'Paris' } } }, { toolUse: { toolUseId: ids[1], name: 'get_time', input: { zone: 'CET' } } }] },
        { role: 'user', content: [{ toolResult: { toolUseId: ids[0], content: [{ text: toolOutputs[0] }] } }, { toolResult: { toolUseId: ids[1], content: [{ text: toolOutputs[1] }] } }] },
      ]);
      assert.ok(body.toolConfig, 'Converse needs toolConfig whenever the history holds tool blocks');
    },
  },
};

export function callsOf(message: OpenAI.Chat.Completions.ChatCompletionMessage | undefined): string[][] {
  return (message?.tool_calls ?? []).map((call) => (call.type === 'function' ? [call.id, call.function.name, call.function.arguments] : [call.type]));
}

export function withoutIds(calls: string[][]): string[][] {
  return calls.map((call) => call.slice(1));
}

export async function readUntilFailure(stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>): Promise<{ text: string; finishes: string[]; failure: unknown }> {
  let text = '';
  const finishes: string[] = [];
  try {
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      const finish = chunk.choices[0]?.finish_reason;
      if (finish) finishes.push(finish);
    }
  } catch (failure) {
    return { text, finishes, failure };
  }
  return { text, finishes, failure: undefined };
}

/** Checks calls as [id, name, arguments-or-input] against the expected calls, with ids given exactly or as patterns. */
export function assertCalls(calls: unknown[][], ids: readonly (string | RegExp)[], expected: readonly unknown[][] = expectedCalls): void {
  assert.deepEqual(calls.map((call) => call.slice(1)), expected);
  calls.forEach((call, index) => {
    const id = ids[index];
    if (id instanceof RegExp) assert.match(String(call[0]), id);
    else assert.equal(call[0], id);
  });
}
