import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startOpenAiSimulator, type OpenAiSimulator } from './simulators/openai-simulator.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

interface Ledger {
  costUsd: number;
  attempts: Array<{ provider: string; status: number; errorCode: string | null; costUsd: number; shadow: boolean }>;
}

const emptyAnswer = {
  id: 'chatcmpl-empty', object: 'chat.completion', created: 1, model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: '' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 5, completion_tokens: 0, total_tokens: 5 },
};

describe('cheapest, cascade and shadow routes', () => {
  const sims: Record<string, OpenAiSimulator> = {};
  let gateway: TestGateway;

  const chat = async (model: string, extra: Record<string, unknown> = {}) => {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gateway.clientKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello' }], ...extra }),
    });
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    const requestId = response.headers.get('x-request-id') as string;
    const read = async () => (await (await gateway.admin(`/admin/requests/${requestId}`)).json()) as Ledger;
    return { status: response.status, body, record: model === 'shadowed' ? undefined as unknown as Ledger : await read(), read };
  };

  before(async () => {
    for (const name of ['small', 'large', 'candidate']) sims[name] = await startOpenAiSimulator();
    gateway = await startTestGateway({
      providers: Object.fromEntries(Object.entries(sims).map(([name, sim]) => [name, { type: 'openai', baseUrl: sim.url }])),
      models: {
        small: { provider: 'small', price: { input: 0.1, output: 0.4 } },
        large: { provider: 'large', price: { input: 3, output: 15 } },
        candidate: { provider: 'candidate', price: { input: 0.2, output: 0.8 } },
      },
      routes: {
        budget: { strategy: 'cheapest', targets: ['large', 'small'] },
        cascade: { strategy: 'cascade', targets: ['large', 'small'] },
        shadowed: { strategy: 'fallback', targets: ['large'], shadow: { target: 'candidate', sampleRate: 1 } },
      },
    });
  });

  after(async () => {
    await gateway.stop();
    await Promise.all(Object.values(sims).map((sim) => sim.close()));
  });

  test('cheapest sends the request to the lowest expected cost target', async () => {
    const result = await chat('budget');
    assert.equal(result.status, 200);
    assert.deepEqual(result.record.attempts.map((attempt) => attempt.provider), ['small']);
  });

  test('a cascade moves on when the cheap answer fails its check and charges both attempts', async () => {
    (sims.small as OpenAiSimulator).behave({ kind: 'status', status: 200, body: emptyAnswer });
    try {
      const result = await chat('cascade');
      assert.equal(result.body.choices[0]?.message.content, 'Hello from the simulator.');
      assert.deepEqual(result.record.attempts.map((attempt) => [attempt.provider, attempt.errorCode]), [['small', 'quality_check_failed'], ['large', null]]);
      assert.ok((result.record.attempts[0]?.costUsd ?? 0) > 0, 'the rejected cheap answer still cost money');
      assert.ok(Math.abs(result.record.costUsd - (result.record.attempts[0]?.costUsd ?? 0) - (result.record.attempts[1]?.costUsd ?? 0)) < 1e-12);
    } finally {
      (sims.small as OpenAiSimulator).behave({ kind: 'ok' });
    }
    const accepted = await chat('cascade');
    assert.deepEqual(accepted.record.attempts.map((attempt) => attempt.provider), ['small'], 'a good cheap answer ends the cascade');
  });

  test('shadow traffic reaches the candidate, is recorded with the shadow flag and never returned', async () => {
    const before = (sims.candidate as OpenAiSimulator).received.length;
    (sims.candidate as OpenAiSimulator).behave({ kind: 'status', status: 200, body: { ...emptyAnswer, choices: [{ index: 0, message: { role: 'assistant', content: 'SHADOW ANSWER' }, finish_reason: 'stop' }] } });
    const result = await chat('shadowed');
    assert.equal(result.body.choices[0]?.message.content, 'Hello from the simulator.');
    let record: Ledger | undefined;
    for (let poll = 0; poll < 50 && !record?.attempts; poll += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      record = await result.read();
    }
    assert.equal((sims.candidate as OpenAiSimulator).received.length, before + 1);
    assert.deepEqual(record?.attempts.map((attempt) => [attempt.provider, attempt.shadow]), [['large', false], ['candidate', true]]);
    assert.equal(record?.costUsd, record?.attempts[0]?.costUsd, 'the shadow attempt is recorded but not billed to the request');
  });
});
