import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHouse, type House } from './support/simulated-house.js';

describe('JSON bodies nested too deep or with too long an array', () => {
  let house: House;

  const post = (path: string, body: string) =>
    fetch(`${house.gateway.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${house.gateway.clientKey}`, 'content-type': 'application/json' }, body });

  before(async () => {
    house = await startHouse({ maxJsonDepth: 10, maxJsonArrayLength: 50 });
  });

  after(() => house.stop());

  test('are refused with 400 naming the setting, and nothing reaches the provider', async () => {
    const deep = JSON.stringify({ model: 'house', messages: [{ role: 'user', content: 'hi' }], metadata: JSON.parse(`${'{"a":'.repeat(12)}1${'}'.repeat(12)}`) as unknown });
    const deepAnswer = await post('/v1/chat/completions', deep);
    assert.equal(deepAnswer.status, 400);
    const deepBody = (await deepAnswer.json()) as { error: { code: string; message: string } };
    assert.equal(deepBody.error.code, 'invalid_request');
    assert.match(deepBody.error.message, /nested deeper than 10 levels \(server\.maxJsonDepth\)/);

    const long = JSON.stringify({ model: 'house', messages: Array.from({ length: 51 }, () => ({ role: 'user', content: 'hi' })) });
    const longAnswer = await post('/v1/messages', long);
    assert.equal(longAnswer.status, 400);
    const longBody = (await longAnswer.json()) as { type: string; error: { type: string; message: string } };
    assert.equal(longBody.error.type, 'invalid_request_error');
    assert.match(longBody.error.message, /more than 50 elements \(server\.maxJsonArrayLength\)/);
    assert.equal(house.simulator.received.length, 0);
  });

  test('bodies within both limits are served', async () => {
    const body = JSON.stringify({ model: 'house', messages: Array.from({ length: 50 }, () => ({ role: 'user', content: 'hi' })) });
    assert.equal((await post('/v1/chat/completions', body)).status, 200);
  });
});
