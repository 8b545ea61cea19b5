import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ConfigError, parseConfig } from '../src/config/load-config.js';
import type { Logger } from '../src/core/logger.js';
import { GatewayError } from '../src/core/errors.js';
import { sendUpstreamBuffered } from '../src/providers/shared/http-client.js';
import { budgetAlertSender } from '../src/server/spend-control.js';
import { startHouse, type House } from './support/simulated-house.js';

const timeouts = { connectMs: 2_000, firstByteMs: 2_000, totalMs: 5_000 };

/** A loopback server that answers `/redirect` with a 307 to `/followed` and everything else with 200, recording paths. */
async function startRedirector(): Promise<{ url: string; paths: string[]; close(): Promise<void> }> {
  const paths: string[] = [];
  const server: Server = createServer((request, response) => {
    paths.push(request.url ?? '');
    request.resume();
    if (request.url === '/redirect') response.writeHead(307, { location: `http://127.0.0.1:${(server.address() as AddressInfo).port}/followed` }).end();
    else response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    paths,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function refusal(raw: unknown): string[] {
  try {
    parseConfig(raw, {});
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('outbound URLs', () => {
  let redirector: Awaited<ReturnType<typeof startRedirector>>;

  before(async () => {
    redirector = await startRedirector();
  });

  after(() => redirector.close());

  test('a URL taken from a client is refused on loopback, before and after a configured URL used the same origin', async () => {
    const clientRequest = { url: `${redirector.url}/image.png`, method: 'GET' as const, headers: {}, body: '', urlFrom: 'client' as const };
    const refused = await sendUpstreamBuffered(clientRequest, { provider: 'image', timeouts }).catch((error: unknown) => error);
    assert.ok(refused instanceof GatewayError);
    assert.match(refused.message, /127\.0\.0\.1 is a private or loopback address, which a client's URL may not reach/);
    const configured = await sendUpstreamBuffered({ ...clientRequest, urlFrom: undefined }, { provider: 'sim', timeouts });
    assert.equal(configured.status, 200);
    const again = await sendUpstreamBuffered(clientRequest, { provider: 'image', timeouts }).catch((error: unknown) => error);
    assert.ok(again instanceof GatewayError, 'the idle connection of the configured URL is not lent to the client one');
    assert.deepEqual(redirector.paths.filter((path) => path === '/image.png'), ['/image.png']);
  });

  test('a client URL naming a host that resolves to loopback is refused after resolution', async () => {
    const port = new URL(redirector.url).port;
    const refused = await sendUpstreamBuffered({ url: `http://localhost:${port}/image.png`, method: 'GET', headers: {}, body: '', urlFrom: 'client' }, { provider: 'image', timeouts }).catch((error: unknown) => error);
    assert.ok(refused instanceof GatewayError);
    assert.match(refused.message, /localhost \((127\.0\.0\.1|::1)\) is a private or loopback address/);
  });

  test('provider base URLs and the alert webhook at a metadata or link-local address fail the config load, unless allowed', () => {
    const problems = refusal({
      providers: { imds: { type: 'openai', baseUrl: 'http://169.254.169.254/v1' }, gce: { type: 'openai', baseUrl: 'http://metadata.google.internal/v1' }, local: { type: 'vllm', baseUrl: 'http://10.0.0.5:8000/v1' } },
      alerts: { webhookUrl: 'http://[fe80::1]/hook' },
    });
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.match(problems[0] ?? '', /^providers\.imds\.baseUrl: 169\.254\.169\.254 is a cloud metadata address/);
    assert.match(problems[1] ?? '', /^providers\.gce\.baseUrl: metadata\.google\.internal is a cloud metadata service/);
    assert.match(problems[2] ?? '', /^alerts\.webhookUrl: fe80::1 is a link-local address/);
    assert.deepEqual(refusal({ providers: { imds: { type: 'openai', baseUrl: 'http://169.254.169.254/v1' } }, outbound: { allow: ['169.254.169.254/32'] } }), []);
  });

  test('the alert webhook does not follow a redirect', async () => {
    const errors: Array<Record<string, unknown> | undefined> = [];
    const logger: Logger = { debug() {}, info() {}, warn() {}, error: (_message, fields) => errors.push(fields) };
    const send = budgetAlertSender(`${redirector.url}/redirect`, logger);
    await send({ kind: 'key', id: 'key_1', period: 'monthly', periodId: '2026-12', threshold: 0.8, limitUsd: 10, spentUsd: 8, hard: false });
    assert.deepEqual(errors, [{ status: 307 }]);
    assert.equal(redirector.paths.includes('/followed'), false);
    assert.ok(redirector.paths.includes('/redirect'));
  });
});

describe('a gateway whose provider is on loopback', () => {
  let house: House;

  before(async () => {
    house = await startHouse({});
  });

  after(() => house.stop());

  test('serves it: base URLs the operator configured are trusted with private and loopback addresses', async () => {
    assert.equal((await house.chat()).status, 200);
  });
});
