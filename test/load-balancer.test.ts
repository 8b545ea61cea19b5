import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../bench/processes.js';
import { startOpenAiSimulator, type OpenAiSimulator } from './simulators/openai-simulator.js';
import { parseConfig } from '../src/config/load-config.js';
import { silentLogger } from '../src/core/logger.js';
import { startGateway, type RunningGateway } from '../src/server/start-server.js';

const adminKey = 'sy-admin-lb-test';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The compose file's nginx.conf, pointed at two gateways on loopback instead of the compose services. */
function loopbackNginxConfig(ports: { lb: number; first: number; second: number }): string {
  const original = readFileSync(join(root, 'deploy/compose/nginx.conf'), 'utf8');
  const rewritten = original
    .replace('server gateway-1:4000', `server 127.0.0.1:${ports.first}`)
    .replace('server gateway-2:4000', `server 127.0.0.1:${ports.second}`)
    .replace(/listen 8080;/, `listen 127.0.0.1:${ports.lb};`);
  assert.notEqual(rewritten, original);
  assert.doesNotMatch(rewritten, /gateway-[12]:4000/);
  return rewritten;
}

describe('two replicas behind the compose file’s nginx', { timeout: 5 * 60_000 }, () => {
  let simulators: OpenAiSimulator[];
  let gateways: RunningGateway[];
  let nginx: ChildProcess | undefined;
  let folder: string;
  let url: string;
  let key: string;

  const chat = async (stream: boolean) => {
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'house', stream, messages: [{ role: 'user', content: 'hello' }] }),
    });
    const text = await response.text();
    return { status: response.status, complete: stream ? text.includes('data: [DONE]') : text.includes('"finish_reason":"stop"'), text };
  };
  const received = () => simulators.map((simulator) => simulator.received.length);

  before(async () => {
    const binary = spawnSync('bash', [join(root, 'scripts/ensure-nginx.sh')], { encoding: 'utf8', timeout: 10 * 60_000 });
    assert.equal(binary.status, 0, binary.stderr);
    simulators = await Promise.all([startOpenAiSimulator(), startOpenAiSimulator()]);
    folder = mkdtempSync(join(tmpdir(), 'switchyard-nginx-'));
    // The replicas share one store (as they would share PostgreSQL), so a key made on one works on both; each has
    // its own upstream, so the test sees which replica served a request.
    const dataDir = join(folder, 'data');
    gateways = [];
    for (const simulator of simulators) {
      const config = parseConfig({ providers: { sim: { type: 'openai', baseUrl: simulator.url } }, models: { house: { provider: 'sim', price: { input: 1, output: 2 } } } }, {});
      gateways.push(await startGateway({ config, logger: silentLogger, dataDir, host: '127.0.0.1', port: 0, adminKey }));
    }
    const created = await fetch(`${gateways[0]!.url}/admin/keys`, { method: 'POST', headers: { authorization: `Bearer ${adminKey}` }, body: JSON.stringify({ name: 'lb' }) });
    key = ((await created.json()) as { key: string }).key;
    const ports = { lb: await freePort(), first: Number(new URL(gateways[0]!.url).port), second: Number(new URL(gateways[1]!.url).port) };
    writeFileSync(join(folder, 'nginx.conf'), loopbackNginxConfig(ports));
    const directives = `daemon off; pid ${folder}/nginx.pid; error_log ${folder}/error.log;`;
    nginx = spawn(binary.stdout.trim().split('\n').at(-1) ?? 'nginx', ['-p', folder, '-c', join(folder, 'nginx.conf'), '-g', directives], { stdio: 'ignore' });
    url = `http://127.0.0.1:${ports.lb}`;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !(await fetch(`${url}/health`).then((response) => response.ok, () => false))) await new Promise((resolve) => setTimeout(resolve, 50));
  });

  after(async () => {
    nginx?.kill('SIGTERM');
    await Promise.all(gateways.map((gateway) => gateway.shutdown(1_000)));
    await Promise.all(simulators.map((simulator) => simulator.close()));
    rmSync(folder, { recursive: true, force: true });
  });

  test('spreads requests over both replicas and relays streams whole', async () => {
    const before = received();
    const results = await Promise.all(Array.from({ length: 20 }, (_, index) => chat(index % 2 === 0)));
    assert.deepEqual(results.map((result) => [result.status, result.complete]), results.map(() => [200, true]));
    const served = received().map((count, index) => count - before[index]!);
    assert.equal(served[0]! + served[1]!, 20);
    assert.ok(served[0]! > 0 && served[1]! > 0, `served ${served.join(' and ')}`);
  });

  test('a replica that drains finishes its requests while new ones go to the other, and none fails', async () => {
    for (const simulator of simulators) simulator.behave({ kind: 'slow', delayMs: 600 });
    const before = received();
    const inFlight = Array.from({ length: 20 }, (_, index) => chat(index % 2 === 0));
    const deadline = Date.now() + 10_000;
    while (received()[0]! + received()[1]! - before[0]! - before[1]! < 20 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.ok(received()[0]! > before[0]!, 'the first replica holds requests in flight');
    const draining = gateways[0]!.shutdown(10_000);
    const atDrain = received();
    const during = Array.from({ length: 20 }, (_, index) => chat(index % 2 === 0));
    const results = await Promise.all([...inFlight, ...during]);
    await draining;
    assert.deepEqual(results.map((result) => [result.status, result.complete]), results.map(() => [200, true]), results.map((result) => result.text.slice(0, 200)).join('\n'));
    assert.equal(received()[0], atDrain[0], 'nothing new reached the draining replica');
    for (const simulator of simulators) simulator.behave({ kind: 'ok' });
  });
});
