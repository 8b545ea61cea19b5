import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { trainRouter } from '../src/routing/router/train-router.js';
import { startOpenAiSimulator, type OpenAiSimulator } from './simulators/openai-simulator.js';
import { syntheticRows } from './support/synthetic-router-data.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

interface Ledger {
  costUsd: number;
  route: string | null;
  attempts: Array<{ model: string; status: number }>;
  router?: { score: number; threshold: number; choice: string; shadow: boolean; choiceCostUsd: number | null };
}

const maxStrongShare = 0.3;

function trainedModelFile(directory: string, name: string, seed: number, swap = false): string {
  const rows = syntheticRows(600, seed).map((row, index) => ({
    prompt: row.prompt,
    scores: swap ? { big: row.scores.small as number, small: row.scores.big as number } : row.scores,
    line: index + 1,
  }));
  const file = join(directory, name);
  writeFileSync(file, JSON.stringify(trainRouter(rows, { source: name, strong: 'big', weak: 'small' }).file));
  return file;
}

describe('strategy: router', () => {
  const sims: Record<string, OpenAiSimulator> = {};
  let gateway: TestGateway;
  let directory: string;
  let modelFile: string;

  const chat = async (model: string, prompt: string) => {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gateway.clientKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: prompt }] }),
    });
    await response.arrayBuffer();
    return { status: response.status, header: response.headers.get('x-switchyard-route-score') ?? '', requestId: response.headers.get('x-request-id') as string };
  };
  const ledger = async (requestId: string) => (await (await gateway.admin(`/admin/requests/${requestId}`)).json()) as Ledger;

  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'switchyard-router-'));
    modelFile = trainedModelFile(directory, 'router.json', 3);
    for (const name of ['small', 'large']) sims[name] = await startOpenAiSimulator();
    gateway = await startTestGateway({
      providers: Object.fromEntries(Object.entries(sims).map(([name, sim]) => [name, { type: 'openai', baseUrl: sim.url }])),
      models: {
        small: { provider: 'small', price: { input: 0.1, output: 0.4 } },
        large: { provider: 'large', price: { input: 3, output: 15 } },
      },
      routes: {
        smart: { strategy: 'router', targets: ['large', 'small'], router: { model: modelFile, maxStrongShare } },
        watched: { strategy: 'router', targets: ['large', 'small'], router: { model: modelFile, maxStrongShare, shadow: true } },
      },
    });
  });

  after(async () => {
    await gateway.stop();
    await Promise.all(Object.values(sims).map((sim) => sim.close()));
    rmSync(directory, { recursive: true, force: true });
  });

  test('on held-out prompts, the strong target takes about maxStrongShare of the traffic, and hard prompts most of it', async () => {
    const prompts = syntheticRows(200, 42);
    const results: Array<{ hard: boolean; header: string; status: number }> = [];
    for (let start = 0; start < prompts.length; start += 10) {
      const batch = prompts.slice(start, start + 10);
      results.push(...(await Promise.all(batch.map(async (row) => ({ hard: row.hard, ...(await chat('smart', row.prompt)) })))));
    }
    assert.ok(results.every((result) => result.status === 200));
    const strong = results.filter((result) => result.header.includes('choice=large'));
    const share = strong.length / results.length;
    assert.ok(Math.abs(share - maxStrongShare) <= 0.06, `strong share ${share}`);
    assert.equal(sims.large?.received.length, strong.length);
    assert.equal(sims.small?.received.length, results.length - strong.length);
    const hardShare = strong.filter((result) => result.hard).length / strong.length;
    assert.ok(hardShare > 0.7, `hard prompts are ${hardShare} of the strong target's traffic`);
  });

  test('the ledger keeps the score, the threshold and the choice the header shows', async () => {
    const result = await chat('smart', 'prove the isomorphism theorem for this manifold and its homology please');
    const [score, threshold, choice] = result.header.split('; ');
    const record = await ledger(result.requestId);
    assert.ok(record.router);
    assert.equal(Number(score), Number(record.router.score.toFixed(6)));
    assert.equal(threshold, `threshold=${record.router.threshold.toFixed(6)}`);
    assert.equal(choice, `choice=${record.router.choice}`);
    assert.equal(record.router.shadow, false);
    assert.equal(record.attempts[0]?.model, record.router.choice);
  });

  test('a failing chosen target falls back to the other target', async () => {
    sims.small?.behave({ kind: 'status', status: 503, body: { error: { message: 'overloaded' } } });
    try {
      const result = await chat('smart', 'what colour is a puppy');
      assert.equal(result.status, 200);
      assert.match(result.header, /choice=small/);
      const record = await ledger(result.requestId);
      assert.deepEqual(record.attempts.map((attempt) => attempt.model).slice(-1), ['large']);
      assert.equal(record.attempts[0]?.model, 'small');
    } finally {
      sims.small?.behave({ kind: 'ok' });
    }
  });

  test('shadow mode serves the configured order, logs the would-be choice, and the spend report sums those decisions', async () => {
    const from = new Date(Date.now() - 1000).toISOString();
    const prompts = syntheticRows(40, 77);
    const requestIds: string[] = [];
    for (const row of prompts) {
      const result = await chat('watched', row.prompt);
      assert.equal(result.status, 200);
      assert.match(result.header, /; shadow$/);
      requestIds.push(result.requestId);
    }
    const records = await Promise.all(requestIds.map(ledger));
    assert.ok(records.every((record) => record.attempts[0]?.model === 'large' && record.router?.shadow === true));
    const wouldPickSmall = records.filter((record) => record.router?.choice === 'small').length;
    assert.ok(wouldPickSmall > 20, `${wouldPickSmall} of 40 would have gone to the cheap target`);
    const cost = records.reduce((sum, record) => sum + record.costUsd, 0);
    const wouldCost = records.reduce((sum, record) => sum + (record.router?.choiceCostUsd ?? 0), 0);
    const report = (await (await gateway.admin(`/admin/reports/spend?groupBy=route&from=${from}&to=${new Date(Date.now() + 60_000).toISOString()}`)).json()) as {
      savings: { routerShadow: Array<{ route: string; requests: number; costUsd: number; wouldCostUsd: number; wouldSaveUsd: number }> };
    };
    const watched = report.savings.routerShadow.find((route) => route.route === 'watched');
    assert.ok(watched);
    assert.equal(watched.requests, 40);
    assert.ok(Math.abs(watched.costUsd - cost) < 1e-8);
    assert.ok(Math.abs(watched.wouldCostUsd - wouldCost) < 1e-8);
    assert.ok(watched.wouldSaveUsd > 0 && Math.abs(watched.wouldSaveUsd - (cost - wouldCost)) < 1e-8);
    assert.equal(report.savings.routerShadow.some((route) => route.route === 'smart'), false);
  });

  test('a new model file is used without a restart; a corrupt one keeps the last good model', async () => {
    const prompt = 'please explain the eigenvalue of this tensor';
    const before = await chat('smart', prompt);
    assert.match(before.header, /choice=large/);
    // Trained with the models' outcomes swapped, the new file sends hard prompts to the cheap target.
    const swapped = trainedModelFile(directory, 'swapped.json', 3, true);
    writeFileSync(modelFile, readFileSync(swapped, 'utf8'));
    await gateway.running.gateway.routers?.check();
    assert.match((await chat('smart', prompt)).header, /choice=small/);
    writeFileSync(modelFile, '{"format": "switchyard-router", "version": 1');
    await gateway.running.gateway.routers?.check();
    assert.match((await chat('smart', prompt)).header, /choice=small/);
  });

  test('a missing or corrupt model file fails the start, naming the route and the file', async () => {
    const config = (model: string) => ({
      providers: { small: { type: 'openai', baseUrl: sims.small?.url } },
      models: { small: { provider: 'small' }, other: { provider: 'small' } },
      routes: { smart: { strategy: 'router', targets: ['small', 'other'], router: { model } } },
    });
    const missing = join(directory, 'missing.json');
    await assert.rejects(startTestGateway(config(missing)), (error: Error) => error.message.includes(`routes.smart.router.model: router model ${missing}: file not found`));
    const corrupt = join(directory, 'corrupt.json');
    writeFileSync(corrupt, '{"format": "switchyard-router", "version": 1}');
    await assert.rejects(startTestGateway(config(corrupt)), (error: Error) => error.message.includes(`router model ${corrupt}: not a router model: strong`));
  });
});
