import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHouse, type House } from './support/simulated-house.js';
import type { TestGateway } from './support/test-gateway.js';

interface GuardStats {
  keyConcurrencyRejected: number;
  shedInFlight: number;
  shedEventLoopDelay: number;
  inFlight: number;
}

async function stats(gateway: TestGateway): Promise<GuardStats> {
  return (await (await gateway.admin('/admin/guard/stats')).json()) as GuardStats;
}

describe('concurrent requests per key', () => {
  let house: House;

  before(async () => {
    house = await startHouse({ maxConcurrentPerKey: 2, overload: { retryAfterSeconds: 3 } });
    house.simulator.behave({ kind: 'slow', delayMs: 400 });
  });

  after(() => house.stop());

  test('past the limit get 429 with Retry-After, while another key is still served', async () => {
    const { gateway, chat } = house;
    const created = (await (await gateway.admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'other' }) })).json()) as { key: string };
    const answers = await Promise.all([chat(), chat(), chat(), chat(created.key)]);
    const statuses = answers.map((answer) => answer.status);
    assert.deepEqual([...statuses].sort(), [200, 200, 200, 429]);
    assert.equal(statuses[3], 200, 'the other key is not limited by the first');
    const refused = answers[statuses.indexOf(429)] as Response;
    assert.equal(refused.headers.get('retry-after'), '3');
    const body = (await refused.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'rate_limited');
    assert.match(body.error.message, /server\.maxConcurrentPerKey/);
    assert.equal((await stats(gateway)).keyConcurrencyRejected, 1);
  });

  test('slots are given back when requests finish', async () => {
    const { gateway, chat } = house;
    const statuses = [(await chat()).status, (await chat()).status, (await chat()).status];
    assert.deepEqual(statuses, [200, 200, 200]);
  });
});

describe('overload shedding by requests in flight', () => {
  let house: House;

  before(async () => {
    house = await startHouse({ overload: { maxInFlight: 3, retryAfterSeconds: 2 } });
    house.simulator.behave({ kind: 'slow', delayMs: 400 });
  });

  after(() => house.stop());

  test('new requests past the in-flight bound get 503 with Retry-After and are counted', async () => {
    const { gateway, chat } = house;
    const answers = await Promise.all(Array.from({ length: 5 }, () => chat()));
    const statuses = answers.map((answer) => answer.status).sort();
    assert.deepEqual(statuses, [200, 200, 200, 503, 503]);
    const shed = answers.find((answer) => answer.status === 503) as Response;
    assert.equal(shed.headers.get('retry-after'), '2');
    assert.equal(((await shed.json()) as { error: { code: string } }).error.code, 'gateway_overloaded');
    const counted = await stats(gateway);
    assert.equal(counted.shedInFlight, 2);
    assert.equal(counted.inFlight, 0, 'every request, shed or served, left the in-flight count');
  });

});

describe('overload shedding by event-loop delay', () => {
  let house: House;

  before(async () => {
    house = await startHouse({ overload: { maxEventLoopDelayMs: 300 } });
  });

  after(() => house.stop());

  test('a request arriving while the event loop runs late is shed, and served once it catches up', async () => {
    const { gateway, chat } = house;
    const pending = chat();
    // The gateway runs in this process: holding the loop makes it late by that much when the request is read.
    const until = performance.now() + 1_000;
    while (performance.now() < until);
    const late = await pending;
    assert.equal(late.status, 503);
    assert.match(((await late.json()) as { error: { message: string } }).error.message, /event loop \d+ ms late/);
    // On a machine busy with other work the loop may stay late a little longer; the first request after is served.
    let served = 0;
    for (let tries = 0; tries < 50 && served !== 200; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      served = (await chat()).status;
    }
    assert.equal(served, 200);
    assert.ok((await stats(gateway)).shedEventLoopDelay >= 1);
  });

  test('the health check and the admin API are not shed', async () => {
    const { gateway, chat } = house;
    const pending = [fetch(`${gateway.url}/health`), gateway.admin('/admin/guard/stats')];
    const until = performance.now() + 1_000;
    while (performance.now() < until);
    const statuses = (await Promise.all(pending)).map((answer) => answer.status);
    assert.deepEqual(statuses, [200, 200]);
  });
});
