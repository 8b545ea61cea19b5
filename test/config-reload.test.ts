import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startOpenAiSimulator, type OpenAiSimulator } from './simulators/openai-simulator.js';
import { spawnGateway, type SpawnedGateway } from './support/spawn-gateway.js';

const admin = 'reload-admin';

function configPointingAt(url: string, extraModel = ''): string {
  return `providers:\n  sim: { type: openai, baseUrl: "${url}" }\nmodels:\n  house: { provider: sim, price: { input: 1, output: 2 } }\n${extraModel}`;
}

/** Replaces the file in one step, as editors and Kubernetes do, so that the watcher never reads half a file. */
function replaceFile(file: string, text: string): void {
  writeFileSync(`${file}.next`, text);
  renameSync(`${file}.next`, file);
}

async function waitFor(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('configuration reload with requests in flight', () => {
  let first: OpenAiSimulator;
  let second: OpenAiSimulator;
  let folder: string;
  let file: string;
  let gateway: SpawnedGateway;
  let key: string;

  const chat = async (model: string, stream = false) => {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'hello' }] }),
    });
    const text = await response.text();
    return { status: response.status, complete: stream ? text.includes('data: [DONE]') : text.includes('"finish_reason":"stop"'), text };
  };

  const modelNames = async () => {
    const response = await fetch(`${gateway.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    return ((await response.json()) as { data: { id: string }[] }).data.map((model) => model.id).sort();
  };

  const logLines = () =>
    gateway
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { message: string; problems?: string[]; reason?: string; sections?: string[] });

  before(async () => {
    [first, second] = await Promise.all([startOpenAiSimulator(), startOpenAiSimulator()]);
    folder = mkdtempSync(join(tmpdir(), 'switchyard-reload-'));
    file = join(folder, 'switchyard.yaml');
    writeFileSync(file, configPointingAt(first.url));
    gateway = await spawnGateway([], { SWITCHYARD_ADMIN_KEY: admin }, folder);
    const created = await fetch(`${gateway.url}/admin/keys`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: JSON.stringify({ name: 'reload' }) });
    key = ((await created.json()) as { key: string }).key;
  });

  after(async () => {
    if (gateway.process.exitCode === null) {
      gateway.process.kill('SIGTERM');
      await gateway.exited;
    }
    await Promise.all([first.close(), second.close()]);
    rmSync(folder, { recursive: true, force: true });
  });

  test('SIGHUP swaps the provider for new requests while the ones in flight finish on the old one', async () => {
    first.behave({ kind: 'slow', delayMs: 700 });
    const before = first.received.length;
    const inFlight = Array.from({ length: 40 }, (_, index) => chat('house', index % 2 === 0));
    await waitFor(() => first.received.length - before === 40, 'all 40 requests to reach the first upstream');
    replaceFile(file, configPointingAt(second.url, '  added: { provider: sim, model: house, price: { input: 1, output: 2 } }\n'));
    gateway.process.kill('SIGHUP');
    await waitFor(async () => (await modelNames()).includes('added'), 'the reloaded model list');

    const fresh = await chat('house');
    assert.equal(fresh.status, 200, fresh.text);
    assert.equal(second.received.length, 1, 'a request after the reload goes to the new upstream');
    const results = await Promise.all(inFlight);
    assert.deepEqual(results.map((result) => [result.status, result.complete]), results.map(() => [200, true]), 'every request in flight finished');
    assert.equal(first.received.length - before, 40, 'the old upstream received only the requests started before the reload');
    assert.ok(logLines().some((line) => line.message === 'configuration reloaded' && line.reason === 'SIGHUP'));
    first.behave({ kind: 'ok' });
  });

  test('a bad configuration is refused with its problems logged, and the one in force keeps serving', async () => {
    second.behave({ kind: 'slow', delayMs: 500 });
    const inFlight = Array.from({ length: 10 }, () => chat('house'));
    replaceFile(file, `${configPointingAt(second.url)}  broken: { provider: nowhere }\nroutes:\n  chat: { strategy: fastest-ever, targets: [house] }\n`);
    gateway.process.kill('SIGHUP');
    await waitFor(() => logLines().some((line) => line.message.startsWith('configuration reload refused')), 'the refusal in the log');
    const refusal = logLines().find((line) => line.message.startsWith('configuration reload refused'));
    const problems = (refusal?.problems ?? []).join('\n');
    assert.match(problems, /models\.broken\.provider/);
    assert.match(problems, /routes\.chat\.strategy/);
    second.behave({ kind: 'ok' });
    assert.deepEqual(await modelNames(), ['added', 'house'], 'the models in force are unchanged');
    const results = await Promise.all(inFlight);
    assert.deepEqual(results.map((result) => result.status), results.map(() => 200));
    assert.equal((await chat('added')).status, 200);
    const audit = await fetch(`${gateway.url}/admin/audit?action=config.*`, { headers: { authorization: `Bearer ${admin}` } });
    const entries = ((await audit.json()) as { data: { action: string; target: string; actor: { id: string }; after: { problems?: string[] } }[] }).data;
    // The file watcher may see the same edits before the signal does, so a reload can be named after either.
    assert.ok(entries.some((entry) => entry.action === 'config.reload' && entry.target === 'SIGHUP'), JSON.stringify(entries));
    assert.ok(entries.some((entry) => entry.action === 'config.reload.refused'), JSON.stringify(entries));
    assert.ok(entries.every((entry) => entry.actor.id === 'system' && ['SIGHUP', 'file changed'].includes(entry.target)), JSON.stringify(entries));
    assert.match((entries.find((entry) => entry.action === 'config.reload.refused')?.after.problems ?? []).join('\n'), /models\.broken\.provider/);
  });

  test('a change of the file alone is picked up, and a section that needs a restart is kept and named', async () => {
    const received = first.received.length;
    replaceFile(file, `storage: postgres://nobody@127.0.0.1:1/none\n${configPointingAt(first.url, '  watched: { provider: sim, model: house, price: { input: 1, output: 2 } }\n')}`);
    await waitFor(async () => (await modelNames()).includes('watched'), 'the file change to be applied');
    const answer = await chat('watched');
    assert.equal(answer.status, 200, answer.text);
    assert.equal(first.received.length, received + 1);
    const warning = logLines().find((line) => line.message.startsWith('configuration sections changed that take effect only after a restart'));
    assert.deepEqual(warning?.sections, ['storage']);
    const ready = await fetch(`${gateway.url}/ready`);
    assert.equal(ready.status, 200, 'still on the SQLite store it started with');
  });

  test('requests keep succeeding through repeated reloads', async () => {
    let stop = false;
    const statuses: number[] = [];
    const client = async () => {
      while (!stop) statuses.push((await chat('house', statuses.length % 3 === 0)).status);
    };
    const clients = Array.from({ length: 8 }, client);
    for (let round = 0; round < 6; round += 1) {
      replaceFile(file, configPointingAt(round % 2 === 0 ? second.url : first.url, `  round${round}: { provider: sim, model: house, price: { input: 1, output: 2 } }\n`));
      gateway.process.kill('SIGHUP');
      await waitFor(async () => (await modelNames()).includes(`round${round}`), `reload round ${round}`);
    }
    stop = true;
    await Promise.all(clients);
    assert.ok(statuses.length >= 8, `only ${statuses.length} requests ran`);
    assert.deepEqual(statuses.filter((status) => status !== 200), [], 'no request failed during the reloads');
  });
});

describe('configuration reload with --workers 2', () => {
  test('SIGHUP to the primary reloads every worker', async () => {
    const simulator = await startOpenAiSimulator();
    const folder = mkdtempSync(join(tmpdir(), 'switchyard-reload-workers-'));
    const file = join(folder, 'switchyard.yaml');
    writeFileSync(file, configPointingAt(simulator.url));
    const gateway = await spawnGateway(['--workers', '2'], { SWITCHYARD_ADMIN_KEY: admin, SWITCHYARD_CONFIG_WATCH: '0' }, folder);
    try {
      replaceFile(file, configPointingAt(simulator.url, '  added: { provider: sim, model: house }\n'));
      gateway.process.kill('SIGHUP');
      const reloads = () => gateway.output().split('\n').filter((line) => line.includes('"message":"configuration reloaded"') && line.includes('"reason":"SIGHUP"')).length;
      await waitFor(() => reloads() === 2, 'both workers to reload');
      // Connections are spread over the workers; each of several fresh connections must see the new model.
      for (let attempt = 0; attempt < 6; attempt += 1) {
        const response = await fetch(`${gateway.url}/v1/models`, { headers: { authorization: `Bearer ${admin}`, connection: 'close' } });
        const names = ((await response.json()) as { data: { id: string }[] }).data.map((model) => model.id);
        assert.ok(names.includes('added'), `attempt ${attempt}: ${names.join(', ')}`);
      }
    } finally {
      gateway.process.kill('SIGTERM');
      await gateway.exited;
      await simulator.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
