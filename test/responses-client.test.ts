import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { startAnthropicSimulator } from './simulators/anthropic-simulator.js';
import { startBedrockSimulator } from './simulators/bedrock-simulator.js';
import { startGeminiSimulator } from './simulators/gemini-simulator.js';
import { startOpenAiSimulator, type OpenAiSimulator } from './simulators/openai-simulator.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

describe('the official openai client calls POST /v1/responses through Switchyard', () => {
  let openai: OpenAiSimulator;
  let anthropic: Awaited<ReturnType<typeof startAnthropicSimulator>>;
  let gemini: Awaited<ReturnType<typeof startGeminiSimulator>>;
  let bedrock: Awaited<ReturnType<typeof startBedrockSimulator>>;
  let gateway: TestGateway;

  before(async () => {
    openai = await startOpenAiSimulator();
    anthropic = await startAnthropicSimulator();
    gemini = await startGeminiSimulator();
    bedrock = await startBedrockSimulator();
    gateway = await startTestGateway({
      providers: { oa: { type: 'openai', baseUrl: openai.url, apiKey: 'k' }, an: { type: 'anthropic', baseUrl: anthropic.url, apiKey: 'k' },
        ge: { type: 'gemini', baseUrl: gemini.url, apiKey: 'gemini-sim-key' },
        br: { type: 'bedrock', baseUrl: bedrock.url, options: { region: 'eu-west-3', accessKeyId: 'AKIASIMULATOR', secretAccessKey: 'simulator-secret-key' } },
      },
      models: { house: { provider: 'oa', model: 'house-v1' }, claude: { provider: 'an', model: 'claude-sim' },
        gemini: { provider: 'ge', model: 'gemini-2.5-flash' }, 'bedrock-claude': { provider: 'br', model: 'anthropic.claude-3-5-haiku-20241022-v1:0' },
      },
    });
  });

  after(async () => {
    await gateway.stop();
    await openai.close();
    await anthropic.close();
    await gemini.close();
    await bedrock.close();
  });

  for (const model of ['house', 'claude', 'gemini', 'bedrock-claude']) {
    test(`${model}: a plain request returns a completed response object`, async () => {
      const response = await gateway.client.responses.create({ model, input: 'hi', instructions: 'Be brief.', max_output_tokens: 50 });
      assert.match(response.id, /^resp_/);
      assert.equal(response.object, 'response');
      assert.equal(response.status, 'completed');
      assert.ok(response.output_text.length > 0);
      assert.equal(response.output[0]?.type, 'message');
      assert.ok((response.usage?.total_tokens ?? 0) > 0);
      assert.equal(response.instructions, 'Be brief.');
      assert.equal(response.max_output_tokens, 50);
    });

    test(`${model}: a streamed request yields the documented events in order`, async () => {
      const stream = await gateway.client.responses.create({ model, input: 'hi', stream: true });
      const types: string[] = [];
      const sequence: number[] = [];
      let text = '';
      for await (const event of stream) {
        types.push(event.type);
        sequence.push(event.sequence_number);
        if (event.type === 'response.output_text.delta') text += event.delta;
      }
      assert.equal(types[0], 'response.created');
      assert.equal(types[1], 'response.in_progress');
      assert.equal(types.at(-1), 'response.completed');
      assert.ok(types.includes('response.output_text.delta'));
      assert.deepEqual(sequence, sequence.map((_, i) => i));
      assert.ok(text.length > 0);
    });
  }

  test('a function tool loop: the call comes back as a function_call item and its output is sent upstream as a tool message', async () => {
    const tools: OpenAI.Responses.Tool[] = [{ type: 'function', name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false }];
    const first = await gateway.client.responses.create({ model: 'house', input: 'Weather in Paris?', tools });
    const call = first.output.find((item) => item.type === 'function_call');
    assert.ok(call && call.type === 'function_call');
    assert.equal(call.name, 'get_weather');
    assert.equal(call.arguments, '{"city":"Paris"}');
    assert.match(call.id ?? '', /^fc_/);
    const second = await gateway.client.responses.create({
      model: 'house', tools, tool_choice: 'none',
      input: [{ role: 'user', content: 'Weather in Paris?' }, call, { type: 'function_call_output', call_id: call.call_id, output: 'sunny' }],
    });
    assert.equal(second.status, 'completed');
    const sent = openai.received.at(-1)?.body.messages as { role: string; tool_call_id?: string; content?: unknown }[];
    assert.deepEqual(sent.map((m) => m.role), ['user', 'assistant', 'tool']);
    assert.equal(sent[2]?.tool_call_id, call.call_id);
    assert.equal(sent[2]?.content, 'sunny');
  });

  test('the ledger records the request under the responses endpoint', async () => {
    const { response, data } = await gateway.client.responses.create({ model: 'house', input: 'hi' }).withResponse();
    assert.equal(data.status, 'completed');
    const id = response.headers.get('x-request-id');
    let record: Response | undefined;
    for (let attempt = 0; attempt < 50 && record?.status !== 200; attempt++) {
      record = await gateway.admin(`/admin/requests/${id}`);
      if (record.status !== 200) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const row = (await record!.json()) as { endpoint: string; status: number };
    assert.equal(row.endpoint, 'responses');
    assert.equal(row.status, 200);
  });

  test('a previous_response_id that was never stored is a 404 naming the field', async () => {
    await assert.rejects(gateway.client.responses.create({ model: 'house', input: 'hi', previous_response_id: 'resp_missing' }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.APIError);
      assert.equal(error.status, 404);
      assert.equal(error.param, 'previous_response_id');
      return true;
    });
  });

  test('built-in tools are left out for a provider that cannot run them, and the function tools still arrive', async () => {
    const tools = [{ type: 'web_search' }, { type: 'function', name: 'lookup', parameters: { type: 'object', properties: {} }, strict: false }] as OpenAI.Responses.Tool[];
    const answer = await gateway.client.responses.create({ model: 'claude', input: 'hi', tools });
    assert.equal(answer.status, 'completed');
    const sent = anthropic.received.at(-1)?.body.tools as { name: string; type?: string }[];
    assert.deepEqual(sent.map((tool) => tool.name), ['lookup']);
  });

  test('forcing a built-in tool with tool_choice is a 400 naming the field', async () => {
    await assert.rejects(gateway.client.responses.create({ model: 'claude', input: 'hi', tools: [{ type: 'web_search' }], tool_choice: { type: 'web_search_preview' } }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.APIError);
      assert.equal(error.status, 400);
      assert.equal(error.param, 'tool_choice.type');
      return true;
    });
  });

  test('an unknown input item type is a 400 naming the item', async () => {
    const input = [{ role: 'user', content: 'a' }, { type: 'bogus' }] as unknown as OpenAI.Responses.ResponseInput;
    await assert.rejects(gateway.client.responses.create({ model: 'house', input }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.APIError);
      assert.equal(error.param, 'input[1].type');
      return true;
    });
  });
});
