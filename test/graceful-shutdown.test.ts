import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { startOpenAiSimulator, type OpenAiSimulator } from './simulators/openai-simulator.js';
import { spawnGateway } from './support/spawn-gateway.js';

const inFlight = 200;

describe('SIGTERM during 200 in-flight requests', () => {
  let simulator: OpenAiSimulator;
  let folder: string;

  before(async () => {
    simulator = await startOpenAiSimulator();
    simulator.behave({ kind: 'slow', delayMs: 800 });
    folder = mkdtempSync(join(tmpdir(), 'switchyard-shutdown-'));
    writeFileSync(join(folder, 'switchyard.yaml'), `providers:\n  sim: { type: openai, baseUrl: "${simulator.url}" }\nmodels:\n  house: { provider: sim, price: { input: 1, output: 2 } }\n`);
  });

  after(async () => {
    await simulator.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test('finishes every request, flushes one ledger record each and exits 0', async () => {
    const gateway = await spawnGateway([], { SWITCHYARD_ADMIN_KEY: 'shutdown-admin' }, folder);
    try {
      const created = await fetch(`${gateway.url}/admin/keys`, { method: 'POST', headers: { authorization: 'Bearer shutdown-admin' }, body: JSON.stringify({ name: 'load' }) });
      const { key } = (await created.json()) as { key: string };
      const requests = Array.from({ length: inFlight }, async (_, index) => {
        const response = await fetch(`${gateway.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'house', stream: index % 2 === 0, messages: [{ role: 'user', content: `request ${index}` }] }),
        });
        const text = await response.text();
        return { status: response.status, complete: index % 2 === 0 ? text.includes('data: [DONE]') : text.includes('"finish_reason":"stop"') };
      });
      const deadline = Date.now() + 10_000;
      while (simulator.received.length < inFlight && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(simulator.received.length, inFlight, 'all requests reached the upstream before the signal');
      gateway.process.kill('SIGTERM');
      const results = await Promise.all(requests);
      assert.equal(await gateway.exited, 0, gateway.output());
      assert.equal(results.filter((result) => result.status === 200 && result.complete).length, inFlight);

      const database = new Database(join(folder, '.switchyard', 'switchyard.db'), { readonly: true });
      const rows = database.prepare("SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS ids, SUM(status = 200) AS ok FROM requests WHERE endpoint = 'chat'").get() as { n: number; ids: number; ok: number };
      const attempts = (database.prepare('SELECT COUNT(*) AS n FROM attempts').get() as { n: number }).n;
      database.close();
      assert.deepEqual(rows, { n: inFlight, ids: inFlight, ok: inFlight });
      assert.equal(attempts, inFlight);
    } finally {
      if (gateway.process.exitCode === null) gateway.process.kill('SIGKILL');
    }
  });
});
