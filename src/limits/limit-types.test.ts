import assert from 'node:assert/strict';
import { test } from 'node:test';
import { budgetSpecSchema, rateLimitSpecSchema } from './limit-types.js';

test('a budget spec takes dollars, a period, hard or soft, and alert fractions', () => {
  assert.deepEqual(budgetSpecSchema.parse({ usd: 25, period: 'monthly', hard: false, alertAt: [0.5, 0.9] }), {
    usd: 25,
    period: 'monthly',
    hard: false,
    alertAt: [0.5, 0.9],
  });
  const percent = budgetSpecSchema.safeParse({ usd: 25, period: 'daily', hard: true, alertAt: [80] });
  assert.equal(percent.success, false);
  assert.match(JSON.stringify(percent.error?.issues), /0\.8 means 80%/);
  assert.equal(budgetSpecSchema.safeParse({ usd: 25, period: 'weekly', hard: true }).success, false);
  assert.equal(budgetSpecSchema.safeParse({ usd: -1, period: 'lifetime', hard: true }).success, false);
  assert.equal(budgetSpecSchema.safeParse({ usd: 1, period: 'lifetime', hard: true, extra: 1 }).success, false);
});

test('a rate limit spec needs whole positive rpm, tpm or both', () => {
  assert.deepEqual(rateLimitSpecSchema.parse({ rpm: 60 }), { rpm: 60 });
  assert.deepEqual(rateLimitSpecSchema.parse({ rpm: 60, tpm: 90_000 }), { rpm: 60, tpm: 90_000 });
  assert.equal(rateLimitSpecSchema.safeParse({}).success, false);
  assert.equal(rateLimitSpecSchema.safeParse({ rpm: 1.5 }).success, false);
  assert.equal(rateLimitSpecSchema.safeParse({ tpm: 0 }).success, false);
});
