import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { DatasetItem } from '../src/quality/dataset.js';
import { EvaluationService } from '../src/quality/evaluation-service.js';
import { evaluationConfig } from './support/evaluation-config.js';
import { startJudgeSimulator, type JudgeSimulator } from './simulators/judge-simulator.js';
import { MemoryDatasets } from './support/memory-datasets.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

/** The dataset CI evaluates: text answers, a tool call and a structured output, as capture stores them. */
const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../../test/fixtures/evaluation-support.json', import.meta.url)), 'utf8')) as { name: string; items: DatasetItem[] };

describe('CI evaluation of the support fixture with every kind of evaluator', () => {
  let simulator: JudgeSimulator;
  let gateway: TestGateway;
  const datasets = new MemoryDatasets();

  before(async () => {
    simulator = await startJudgeSimulator();
    gateway = await startTestGateway(evaluationConfig(simulator.url));
    datasets.add(fixture.name, fixture.items);
  });

  after(async () => {
    await gateway.stop();
    await simulator.close();
  });

  test('deterministic evaluators, a pass/fail judge and a pairwise judge over text, tool-call and JSON items', async () => {
    const service = new EvaluationService(gateway.running.gateway, datasets);
    const evaluators = ['exact-match', 'json-schema', 'tool-call', 'judge-pass-fail', 'judge-pairwise', { type: 'regex', name: 'no-question', pattern: '^[^?]*$' }];
    const { id } = await service.create({ dataset: 'support', candidates: ['oracle', 'sloppy'], baseline: 'recorded', judge: 'judge', evaluators, concurrency: 2 });
    assert.equal((await service.wait(id)).status, 'done');
    const summary = await service.summary(id);
    const [oracle, sloppy] = summary.candidates;
    assert.ok(oracle && sloppy);
    const means = (row: typeof oracle) => Object.fromEntries(Object.entries(row.evaluators).map(([name, interval]) => [name, [interval.mean, interval.n]]));
    // Exact match scores the four items with a reference text; JSON-schema only Q6, which asked for JSON; tool-call
    // only Q3, whose recorded call is {"id": 42}: the same arguments as the oracle's {"id":42} once parsed.
    assert.deepEqual(means(oracle), { 'exact-match': [1, 4], 'json-schema': [1, 1], 'tool-call': [1, 1], 'judge-pass-fail': [1, 5], 'judge-pairwise': [0.6, 5], 'no-question': [1, 5] });
    // sloppy is unsure on Q3 and Q6 (multiples of 3).
    assert.deepEqual(means(sloppy), { 'exact-match': [0.75, 4], 'json-schema': [0, 1], 'tool-call': [0, 1], 'judge-pass-fail': [0.6, 5], 'judge-pairwise': [0.4, 5], 'no-question': [1, 5] });
    // The judge compares call text literally, so it finds the recorded {"id": 42} wrong and the oracle's call right on
    // Q3, in both orders: a win. Where both are right (or both wrong, sloppy on Q3) its bias toward A makes a tie.
    assert.deepEqual(oracle.verdicts, { win: 1, tie: 4, loss: 0, judged: 5 });
    assert.deepEqual(sloppy.verdicts, { win: 0, tie: 4, loss: 1, judged: 5 });
    const tool = simulator.received.find((request) => request.body.model === 'oracle' && Array.isArray(request.body.tools));
    assert.equal((tool?.body.tools as Array<{ function: { name: string } }>)[0]?.function.name, 'lookup_order');
    const structured = simulator.received.find((request) => request.body.model === 'oracle' && request.body.response_format !== undefined);
    assert.equal((structured?.body.response_format as { type: string }).type, 'json_schema');
  });
});
