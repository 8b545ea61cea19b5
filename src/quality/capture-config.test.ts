import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfig } from '../config/load-config.js';
import { capturePolicyFor, isSampled } from './capture-policy.js';
import { parseRequestTags } from './capture-tags.js';

const base = { providers: { sim: { type: 'openai', apiKey: 'sk-test' } } };

function problems(raw: unknown): string {
  try {
    parseConfig(raw, {});
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

describe('capture and metrics configuration', () => {
  test('defaults fill every policy and the writer settings', () => {
    const config = parseConfig({ ...base, models: { m: { provider: 'sim', capture: {} } } }, {});
    assert.deepEqual(config.models.m?.capture, { sample: 1, bodies: true, redact: false, retentionDays: 30 });
    assert.deepEqual(config.capture, { keys: [], maxBodyBytes: 1_048_576, maxQueued: 10_000, batchSize: 200, flushIntervalMs: 500, sweepIntervalMs: 3_600_000 });
    assert.deepEqual(config.metrics, {});
  });

  test('bad values are refused with their path', () => {
    assert.match(problems({ ...base, models: { m: { provider: 'sim', capture: { sample: 1.5 } } } }), /models\.m\.capture\.sample/);
    assert.match(problems({ ...base, models: { m: { provider: 'sim', capture: { keep: true } } } }), /models\.m\.capture/);
    assert.match(problems({ ...base, capture: { keys: [{ tags: {} }] } }), /capture\.keys\.0\.tags/);
    assert.match(problems({ ...base, metrics: { rating: { type: 'stars' } } }), /metrics\.rating/);
    assert.match(problems({ ...base, metrics: { 'bad name': { type: 'boolean' } } }), /metrics/);
    assert.match(problems({ ...base, routes: { r: { strategy: 'fallback', targets: ['m'], capture: { retentionDays: 0 } } }, models: { m: { provider: 'sim' } } }), /routes\.r\.capture\.retentionDays/);
  });

  test('the route policy wins over the model, the model over key rules; key rules need every tag', () => {
    const config = parseConfig({
      ...base,
      models: { m: { provider: 'sim', capture: { sample: 0.5 } }, n: { provider: 'sim' } },
      routes: { r: { strategy: 'fallback', targets: ['m'], capture: { sample: 0.2 } } },
      capture: { keys: [{ tags: { team: 'support', env: 'prod' }, sample: 0.3 }] },
    }, {});
    const subject = (requestedModel: string, keyTags: Record<string, string>, route?: string) => ({ routeConfig: route ? config.routes[route] : undefined, requestedModel, keyTags });
    assert.equal(capturePolicyFor(config, subject('r', { team: 'support', env: 'prod' }, 'r'))?.sample, 0.2);
    assert.equal(capturePolicyFor(config, subject('m', { team: 'support', env: 'prod' }))?.sample, 0.5);
    assert.equal(capturePolicyFor(config, subject('n', { team: 'support', env: 'prod' }))?.sample, 0.3);
    assert.equal(capturePolicyFor(config, subject('n', { team: 'support' })), undefined);
  });

  test('sampling draws once per request against the share', () => {
    const policy = { sample: 0.25, bodies: true, redact: false, retentionDays: 1 };
    assert.equal(isSampled(policy, () => 0.2), true);
    assert.equal(isSampled(policy, () => 0.25), false);
    assert.equal(isSampled({ ...policy, sample: 0 }, () => 0), false);
    assert.equal(isSampled({ ...policy, sample: 1 }, () => 0.999), true);
  });

  test('request tags parse k=v pairs, trimmed, and refuse what they cannot hold', () => {
    assert.deepEqual(parseRequestTags(' team=support , flow=refund/v2 '), { team: 'support', flow: 'refund/v2' });
    assert.equal(parseRequestTags(undefined), undefined);
    assert.equal(parseRequestTags(''), undefined);
    assert.deepEqual(parseRequestTags(['a=1', 'b=2']), { a: '1', b: '2' });
    for (const bad of ['a', 'a=', '=1', 'a=1,a=2', 'a=1,,b=2', 'a b=1', 'a=x y', `${'k'.repeat(65)}=1`]) {
      assert.throws(() => parseRequestTags(bad), (error: { param?: string }) => error.param === 'x-switchyard-tags', bad);
    }
  });
});
