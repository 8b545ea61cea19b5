import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { consoleCsp } from '../src/server/console-static.js';
import { startConsoleFixture, type ConsoleFixture } from './console/console-traffic.js';

interface OverviewAnswer {
  bucketMs: number;
  totals: { requests: number; errors: number; costUsd: number; p50Ms: number; p99Ms: number; requestsPerSecond: number; errorRate: number };
  series: Array<{ bucket: number; requests: number; errors: number; costUsd: number; p50Ms: number; p99Ms: number }>;
  spend: { todayUsd: number; monthUsd: number };
  margin: { revenueUsd: number; costUsd: number; marginUsd: number };
  top: { models: Array<{ group: string; requests: number }>; customers: Array<{ group: string }>; keys: Array<{ group: string }> };
}

/** Nearest rank: the smallest value whose rank r (1-based) has r / n >= p. */
function nearestRank(values: number[], p: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] as number;
}

describe('the console\'s admin endpoints and static files', () => {
  let fixture: ConsoleFixture;

  before(async () => {
    fixture = await startConsoleFixture();
  });

  after(async () => {
    await fixture?.stop();
  });

  const json = async <T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> => {
    const response = await fixture.gateway.admin(path, init);
    return { status: response.status, body: (await response.json()) as T };
  };

  test('GET /admin/overview: totals, percentiles and series agree with the request log', async () => {
    const to = Date.now() + 60_000;
    const from = to - 3_600_000;
    const { status, body } = await json<OverviewAnswer>(`/admin/overview?from=${from}&to=${to}&buckets=12`);
    assert.equal(status, 200);
    const log = await json<{ data: Array<{ latencyMs: number; status: number; costUsd: number; requestedModel: string }> }>('/admin/requests?limit=200');
    const records = log.body.data;
    assert.equal(body.totals.requests, records.length);
    assert.equal(body.totals.errors, records.filter((record) => record.status >= 400).length);
    assert.ok(body.totals.errors >= 2, 'the upstream failures are errors');
    assert.equal(body.totals.errorRate, Math.round((body.totals.errors / body.totals.requests) * 1e6) / 1e6);
    const latencies = records.map((record) => record.latencyMs);
    assert.equal(body.totals.p50Ms, Math.round(nearestRank(latencies, 0.5) * 1000) / 1000);
    assert.equal(body.totals.p99Ms, Math.round(nearestRank(latencies, 0.99) * 1000) / 1000);
    const cost = records.reduce((sum, record) => sum + record.costUsd, 0);
    assert.ok(Math.abs(body.totals.costUsd - cost) < 1e-9, `${body.totals.costUsd} against ${cost}`);
    assert.ok(body.totals.costUsd > 0);
    assert.equal(body.bucketMs, 300_000);
    assert.equal(body.series.reduce((sum, point) => sum + point.requests, 0), body.totals.requests, 'the buckets add up to the total');
    for (const point of body.series) assert.equal((point.bucket - from) % body.bucketMs, 0, 'buckets start at from');
    assert.equal(body.spend.todayUsd, body.totals.costUsd, 'all the traffic is from today');
    assert.equal(body.totals.requestsPerSecond, Math.round((body.totals.requests / 3600) * 1e6) / 1e6);
    const house = body.top.models.find((row) => row.group === 'house');
    assert.equal(house?.requests, records.filter((record) => record.requestedModel === 'house').length);
    assert.deepEqual(body.top.customers.map((row) => row.group).sort(), ['acme', 'globex']);
  });

  test('GET /admin/overview: an empty range has zero totals and no buckets; bad parameters are named', async () => {
    const empty = await json<OverviewAnswer>('/admin/overview?from=2020-01-01&to=2020-01-02');
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.body.series, []);
    assert.equal(empty.body.totals.requests, 0);
    assert.equal(empty.body.totals.p99Ms, 0);
    for (const [query, param] of [['buckets=0', 'buckets'], ['buckets=9999', 'buckets'], ['from=2020-01-02&to=2020-01-01', 'from'], ['to=yesterday', 'to']] as const) {
      const answer = await json<{ error: { param: string; message: string } }>(`/admin/overview?${query}`);
      assert.equal(answer.status, 400, query);
      assert.equal(answer.body.error.param, param, query);
    }
  });

  test('GET /admin/deployments: models with provider, price and health; routes with their targets; no credentials', async () => {
    const { status, body } = await json<{ deployments: Array<{ name: string; provider: string; upstreamModel: string; price: unknown; health: { requests: number } | null }>; routes: unknown[] }>('/admin/deployments');
    assert.equal(status, 200);
    const house = body.deployments.find((deployment) => deployment.name === 'house');
    assert.equal(house?.provider, 'gpu-east');
    assert.equal(house?.upstreamModel, 'house-v1');
    assert.deepEqual(house?.price, { input: 1, output: 2 });
    assert.ok((house?.health?.requests ?? 0) > 0, 'health of a deployment that served traffic');
    assert.deepEqual(body.routes, [{ name: 'chat', strategy: 'fallback', targets: [{ model: 'house' }, { model: 'gpt-4o-mini' }], privacy: 'off', cache: null }]);
    assert.ok(!JSON.stringify(body).includes('sim-key'), 'provider keys never appear');
  });

  test('POST /admin/revenue as text/csv: imports every row, or names each bad line and imports nothing', async () => {
    const csv = (text: string) => fixture.gateway.admin('/admin/revenue', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: text });
    const good = await csv('customer,period,usd\nacme,2026-10,12.5\n"globex, inc",2026-10,3\n');
    assert.equal(good.status, 200);
    assert.deepEqual(await good.json(), { imported: 2 });
    const stored = await json<{ data: unknown[] }>('/admin/revenue?period=2026-10');
    assert.deepEqual(stored.body.data, [{ customer: 'acme', period: '2026-10', usd: 12.5 }, { customer: 'globex, inc', period: '2026-10', usd: 3 }]);
    const bad = await csv('customer,period,usd\ninitech,2026-10,5\nacme,2026-13,4\numbrella,2026-10,-1\n');
    assert.equal(bad.status, 400);
    const error = ((await bad.json()) as { error: { message: string; param: string; code: string } }).error;
    assert.equal(error.param, 'line 3');
    assert.match(error.message, /^Nothing imported\./);
    assert.match(error.message, /line 3: period/);
    assert.match(error.message, /line 4: usd/);
    assert.deepEqual((await json<{ data: unknown[] }>('/admin/revenue?period=2026-10')).body.data, stored.body.data, 'initech (line 2) was not imported');
    const headerless = await csv('acme,2026-10,1\n');
    assert.equal(headerless.status, 400);
    assert.equal(((await headerless.json()) as { error: { param: string } }).error.param, 'line 1');
  });

  test('the console is served without a key: index.html revalidated, hashed assets immutable, a strict CSP on both', async () => {
    const base = fixture.gateway.url;
    const root = await fetch(`${base}/`);
    assert.equal(root.status, 200);
    assert.match(root.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(root.headers.get('cache-control'), 'no-cache');
    assert.equal(root.headers.get('content-security-policy'), consoleCsp);
    assert.match(consoleCsp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(consoleCsp, /unsafe-inline|unsafe-eval|https?:/);
    assert.equal(root.headers.get('x-content-type-options'), 'nosniff');
    const html = await root.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    assert.doesNotMatch(html, /https?:\/\//, 'nothing loaded from elsewhere');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(script, 'the entry script is a hashed asset');
    const asset = await fetch(`${base}${script}`);
    assert.equal(asset.status, 200);
    assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.match(asset.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.doesNotMatch(await asset.text(), /fonts\.googleapis|cdn\.jsdelivr|unpkg\.com/);
    const page = await fetch(`${base}/requests/req_123`);
    assert.equal(page.status, 200, 'a reload on a console page gets the app');
    assert.equal(await page.text(), html);
    assert.equal((await fetch(`${base}/assets/missing-0000.js`)).status, 404);
    assert.equal((await fetch(`${base}/assets/..%2F..%2Fpackage.json`)).status, 404, 'no way out of the build folder');
    assert.equal((await fetch(`${base}/admin/keys`)).status, 401, 'the admin API still needs a key');
    assert.equal((await fetch(`${base}/elsewhere`)).status, 401, 'other paths are the API\'s as before');
  });
});
