import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Deployment } from '../core/deployment.js';
import { cascadeCheck } from './cascade-check.js';
import { orderTargets, type PolicyInput } from './policies.js';
import { pickRule } from './route-rules.js';

function deployment(model: string, price?: { input: number; output: number }): Deployment {
  return { model, price, private: false } as Deployment;
}

const cheap = deployment('cheap', { input: 0.1, output: 0.4 });
const mid = deployment('mid', { input: 1, output: 4 });
const dear = deployment('dear', { input: 3, output: 15 });
const unpriced = deployment('unpriced');

function input(route: PolicyInput['route'], candidates: Deployment[], extra: Partial<PolicyInput> = {}): PolicyInput {
  return { route, candidates, estimate: { inputTokens: 1000, outputTokens: 200 }, stats: { latencyMs: () => undefined }, random: 0.5, ...extra };
}

const common = { privacy: 'off' as const, maxAttempts: 5, retry: { attemptsPerTarget: 1, initialBackoffMs: 0, maxBackoffMs: 0 } };

test('fallback keeps the configured order', () => {
  assert.deepEqual(orderTargets(input({ strategy: 'fallback', targets: [], ...common }, [dear, cheap])).map((item) => item.model), ['dear', 'cheap']);
});

test('cheapest and cascade order by expected cost, unpriced last', () => {
  for (const strategy of ['cheapest', 'cascade'] as const) {
    const order = orderTargets(input({ strategy, targets: [], ...common }, [unpriced, dear, cheap, mid])).map((item) => item.model);
    assert.deepEqual(order, ['cheap', 'mid', 'dear', 'unpriced']);
  }
});

test('weighted picks the first target in proportion to its weight and keeps the rest as fallbacks', () => {
  const route = { strategy: 'weighted' as const, targets: [{ model: 'cheap', weight: 3 }, { model: 'dear', weight: 1 }], ...common };
  assert.equal(orderTargets(input(route, [cheap, dear], { random: 0.7 }))[0]?.model, 'cheap');
  assert.deepEqual(orderTargets(input(route, [cheap, dear], { random: 0.8 })).map((item) => item.model), ['dear', 'cheap']);
});

test('fastest tries unmeasured targets first, then the lowest moving average', () => {
  const latency: Record<string, number> = { cheap: 300, dear: 100 };
  const stats = { latencyMs: (model: string) => latency[model] };
  const route = { strategy: 'fastest' as const, targets: [], ...common };
  assert.deepEqual(orderTargets(input(route, [cheap, dear, mid], { stats, random: 0.9 })).map((item) => item.model), ['mid', 'dear', 'cheap']);
});

test('rules match on tags, tools and prompt size', () => {
  const rules = [
    { when: { tags: { tier: 'free' } }, use: 'cheap-route' },
    { when: { hasTools: true }, use: 'tools-route' },
    { when: { minPromptTokens: 1000 }, use: 'long-route' },
  ];
  const request = { model: 'chat', stream: false, messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }] };
  const subject = { tags: {}, customer: null, team: null, headers: {} };
  assert.equal(pickRule(rules, request, { ...subject, tags: { tier: 'free' } }), 'cheap-route');
  assert.equal(pickRule(rules, { ...request, tools: [{ name: 'f', parameters: {} }] }, subject), 'tools-route');
  assert.equal(pickRule(rules, { ...request, messages: [{ role: 'user', content: [{ type: 'text', text: 'x'.repeat(8000) }] }] }, subject), 'long-route');
  assert.equal(pickRule(rules, request, subject), undefined);
});

test('a cascade rejects empty answers, refusals and JSON that misses required fields', () => {
  const base = { id: '', model: '', created: 0, toolCalls: [], finishReason: 'stop' as const, rawFinishReason: 'stop', usage: undefined };
  const plain = cascadeCheck({ model: 'm', stream: false, messages: [] });
  assert.equal(plain({ ...base, text: '  ' }), 'empty answer');
  assert.equal(plain({ ...base, text: "I'm sorry, I can't help with that." }), 'refusal');
  assert.equal(plain({ ...base, text: 'Paris.' }), undefined);
  const json = cascadeCheck({ model: 'm', stream: false, messages: [], responseFormat: { type: 'json-schema', name: 'a', schema: { type: 'object', required: ['city'] } } });
  assert.equal(json({ ...base, text: '{"town":"Paris"}' }), 'JSON lacks required fields: city');
  assert.equal(json({ ...base, text: 'Paris' }), 'invalid JSON');
  assert.equal(json({ ...base, text: '{"city":"Paris"}' }), undefined);
});
