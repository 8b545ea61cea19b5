import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { syntheticRows, toJsonl } from '../../test/support/synthetic-router-data.js';

const main = fileURLToPath(new URL('./main.js', import.meta.url));

function run(args: string[], input = ''): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [main, 'router', ...args], { input, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('switchyard router', () => {
  let directory: string;
  let data: string;
  let model: string;

  before(() => {
    directory = mkdtempSync(join(tmpdir(), 'switchyard-router-cli-'));
    data = join(directory, 'train.jsonl');
    model = join(directory, 'model.json');
    writeFileSync(data, toJsonl(syntheticRows(400, 5)));
  });

  after(() => rmSync(directory, { recursive: true, force: true }));

  test('train writes a model, shows progress on stderr and held-out figures beside the baselines', () => {
    const result = run(['train', '--data', data, '--out', model]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /router train: 400 rows: strong big .* weak small/);
    assert.match(result.stderr, /final model epoch/);
    assert.match(result.stderr, /chosen: (linear|trees|stacked)/);
    assert.match(result.stdout, /router\s+0\.\d{3}/);
    assert.match(result.stdout, /random\s+0\.500\s+50\.0%\s+80\.0%/);
    assert.match(result.stdout, /prompt length/);
    assert.equal(JSON.parse(readFileSync(model, 'utf8')).format, 'switchyard-router');
  });

  test('train --family forces a family, and the file says which', () => {
    const forced = join(directory, 'trees.json');
    const result = run(['train', '--data', data, '--out', forced, '--family', 'trees']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /family trees/);
    const file = JSON.parse(readFileSync(forced, 'utf8')) as { family: string; version: number; training: { families: Record<string, number> } };
    assert.equal(file.family, 'trees');
    assert.equal(file.version, 2);
    assert.deepEqual(Object.keys(file.training.families), ['trees']);
  });

  test('score answers one line per prompt, in order, higher for prompts that need the strong model', () => {
    const prompts = [{ prompt: 'what is a good breakfast recipe' }, { prompt: 'prove the homology theorem for this manifold' }, { prompt: 'tell me about the weather' }];
    const result = run(['score', '--model', model], toJsonl(prompts));
    assert.equal(result.status, 0, result.stderr);
    const scores = result.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { score: number }).score);
    assert.equal(scores.length, 3);
    assert.ok((scores[1] as number) > (scores[0] as number) && (scores[1] as number) > (scores[2] as number), String(scores));
  });

  test('eval prints APGR and CPT beside the random and length baselines', () => {
    const held = join(directory, 'held.jsonl');
    writeFileSync(held, toJsonl(syntheticRows(300, 6)));
    const result = run(['eval', '--model', model, '--data', held]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /300 rows/);
    assert.match(result.stdout, /\s+APGR\s+CPT\(50%\)\s+CPT\(80%\)\n/);
    assert.match(result.stdout, /router\s+0\.\d{3}/);
    const json = JSON.parse(run(['eval', '--model', model, '--data', held, '--json']).stdout) as { router: { apgr: number }; length: { apgr: number } };
    assert.ok(json.router.apgr > json.length.apgr + 0.1);
  });

  test('bad input fails with a message naming the line, the field or the file', () => {
    const broken = join(directory, 'broken.jsonl');
    writeFileSync(broken, '{"prompt": "a", "scores": {"big": 1, "small": 0}}\n{"prompt": "b"}\n');
    const noScores = run(['train', '--data', broken, '--out', join(directory, 'x.json')]);
    assert.equal(noScores.status, 1);
    assert.match(noScores.stderr, /broken\.jsonl line 2: no "scores"/);
    const single = join(directory, 'single.jsonl');
    writeFileSync(single, toJsonl(syntheticRows(50, 1, { strong: 'only', weak: 'only' })));
    assert.match(run(['train', '--data', single, '--out', join(directory, 'x.json')]).stderr, /only one model \(only\)/);
    assert.match(run(['train', '--out', join(directory, 'x.json')]).stderr, /--data is required/);
    assert.match(run(['train', '--data', data, '--out', join(directory, 'x.json'), '--family', 'forest']).stderr, /--family forest: expected auto, linear, trees, stacked/);
    assert.match(run(['train', '--data', join(directory, 'none.jsonl'), '--out', 'x.json']).stderr, /none\.jsonl: file not found/);
    const missing = join(directory, 'missing.json');
    assert.match(run(['score', '--model', missing], '{"prompt": "x"}\n').stderr, new RegExp(`router model ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: file not found`));
    const corrupt = join(directory, 'corrupt.json');
    writeFileSync(corrupt, '{"format": "switchyard-router"');
    assert.match(run(['score', '--model', corrupt], '{"prompt": "x"}\n').stderr, /corrupt\.json: not valid JSON/);
    assert.match(run(['score', '--model', model], '{"text": "x"}\n').stderr, /stdin line 1: "prompt" must be a string/);
    assert.match(run(['bogus']).stderr, /Usage:/);
  });
});
