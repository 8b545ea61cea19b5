import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ProviderSimulator } from './simulators/loopback-server.js';
import { responsesAnswer, responsesStreamEvents, simulatedSearch, startOpenAiResponsesSimulator } from './simulators/openai-responses-simulator.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

type Json = Record<string, unknown>;

let simulator: ProviderSimulator;
let gateway: TestGateway;

async function post(body: Json): Promise<{ status: number; requestId: string; text: string }> {
  const response = await fetch(`${gateway.url}/v1/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gateway.clientKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, requestId: response.headers.get('x-request-id') ?? '', text: await response.text() };
}

function sentUpstream(): Json {
  const last = simulator.received.at(-1);
  assert.ok(last, 'the provider received the request');
  return last.body;
}

/** The fields the gateway owns on a relayed response object: its own id, the client's model, the client's storage fields. */
function owned(response: Json, requestId: string, model: string): Json {
  return { ...response, id: `resp_${requestId}`, model, store: true, previous_response_id: null };
}

function events(text: string): Json[] {
  return text.split('\n\n').filter((block) => block.trim() !== '').map((block) => {
    const lines = block.split('\n');
    const data = JSON.parse((lines.find((line) => line.startsWith('data: ')) ?? '').slice(6)) as Json;
    assert.equal(lines.find((line) => line.startsWith('event: '))?.slice(7), data.type, 'the SSE event name is the payload type');
    return data;
  });
}

const request = { input: 'When is high tide at the harbour?', tools: [{ type: 'web_search' }], include: ['web_search_call.action.sources'] };

describe('POST /v1/responses to an OpenAI or Azure provider with api: responses relays what the provider sent', () => {
  before(async () => {
    simulator = await startOpenAiResponsesSimulator();
    gateway = await startTestGateway({
      providers: {
        openai: { type: 'openai', api: 'responses', baseUrl: `${simulator.url}/v1`, apiKey: 'sk-sim' },
        azure: { type: 'azure-openai', api: 'responses', baseUrl: simulator.url, apiKey: 'azure-sim', options: { deployment: 'gpt5-deploy' } },
      },
      models: { gpt: { provider: 'openai', model: 'gpt-5-mini' }, 'azure-gpt': { provider: 'azure', model: 'gpt-5-mini' } },
    });
  });

  after(async () => {
    await gateway.stop();
    await simulator.close();
  });

  for (const model of ['gpt', 'azure-gpt']) {
    test(`${model}: a non-streamed answer with a web_search_call item and a cited message comes back as the provider's object`, async () => {
      const answer = await post({ model, ...request });
      assert.equal(answer.status, 200);
      const upstream = sentUpstream();
      assert.deepEqual(upstream.tools, request.tools, 'the built-in tool reached the provider');
      const body = JSON.parse(answer.text) as Json;
      assert.deepEqual(body, owned(responsesAnswer(upstream), answer.requestId, model));
      const output = body.output as Json[];
      assert.deepEqual(output[1], simulatedSearch.item, 'the web_search_call item is the provider one');
      assert.deepEqual(((output[2]?.content as Json[])[0] as Json).annotations, [simulatedSearch.citation], 'the citation survives');
      assert.equal(typeof (output[0] as Json).encrypted_content, 'string', 'encrypted reasoning is relayed');
    });

    test(`${model}: a streamed answer relays every provider event, the web search events included, in order and numbered`, async () => {
      const answer = await post({ model, ...request, stream: true });
      assert.equal(answer.status, 200);
      const got = events(answer.text);
      const expected = responsesStreamEvents(sentUpstream()).map((event) =>
        typeof event.response === 'object' && event.response !== null ? { ...event, response: owned(event.response as Json, answer.requestId, model) } : event);
      assert.deepEqual(got, expected);
      assert.ok(got.some((event) => event.type === 'response.web_search_call.searching'));
      assert.ok(got.some((event) => event.type === 'response.output_text.annotation.added'));
      assert.deepEqual(got.map((event) => event.sequence_number), got.map((_, index) => index));
    });
  }

  test('a relayed stream that breaks off after its first tokens ends with the provider error event, and nothing made up after it', async () => {
    simulator.behave({ kind: 'stream-error' });
    const answer = await post({ model: 'gpt', input: 'Hi', stream: true }).finally(() => simulator.behave({ kind: 'ok' }));
    const got = events(answer.text);
    assert.equal(got.at(-1)?.type, 'error');
    assert.ok(!got.some((event) => event.type === 'response.completed'));
    assert.deepEqual(got.map((event) => event.sequence_number), got.map((_, index) => index));
  });
});
