import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError } from '../core/errors.js';
import type { CustomerRecord } from '../store/store.js';
import { applyCustomerUpdate } from './customer-input.js';

function refusal(body: unknown, param: string): void {
  assert.throws(() => applyCustomerUpdate('acme', body, undefined, 1), (error: unknown) => {
    assert.ok(error instanceof GatewayError);
    assert.equal(error.code, 'invalid_request');
    assert.equal(error.param, param);
    return true;
  });
}

describe('customer input', () => {
  test('a new customer takes the fields given; hard defaults to true', () => {
    const customer = applyCustomerUpdate('acme', { name: 'Acme', budget: { usd: 100, period: 'monthly', alertAt: [0.5, 1] }, rateLimit: { rpm: 60 } }, undefined, 5);
    assert.deepEqual(customer, {
      id: 'acme', name: 'Acme', tags: {}, budget: { usd: 100, period: 'monthly', hard: true, alertAt: [0.5, 1] }, rateLimit: { rpm: 60 }, updatedAt: 5,
    });
  });

  test('an update keeps absent fields, replaces given ones and clears nulls', () => {
    const existing: CustomerRecord = { id: 'acme', name: 'Acme', tags: { plan: 'pro' }, budget: { usd: 1, period: 'daily', hard: false }, rateLimit: { tpm: 9 }, updatedAt: 1 };
    const updated = applyCustomerUpdate('acme', { rateLimit: null, tags: { plan: 'team' } }, existing, 7);
    assert.deepEqual(updated, { ...existing, rateLimit: null, tags: { plan: 'team' }, updatedAt: 7 });
  });

  test('bad budgets and rate limits name the field', () => {
    refusal({ budget: { usd: 0, period: 'monthly' } }, 'budget.usd');
    refusal({ budget: { usd: 5, period: 'weekly' } }, 'budget.period');
    refusal({ budget: { usd: 5, period: 'daily', hard: 'yes' } }, 'budget.hard');
    refusal({ budget: { usd: 5, period: 'daily', alertAt: [0.5, 0] } }, 'budget.alertAt[1]');
    refusal({ budget: { usd: 5, period: 'daily', alertAt: [1.5] } }, 'budget.alertAt[0]');
    refusal({ budget: { usd: 5, period: 'daily', cap: 1 } }, 'budget.cap');
    refusal({ rateLimit: { rpm: 1.5 } }, 'rateLimit.rpm');
    refusal({ rateLimit: { tpm: 0 } }, 'rateLimit.tpm');
    refusal({ rateLimit: {} }, 'rateLimit');
    refusal({ tags: { plan: 3 } }, 'tags.plan');
    refusal({ colour: 'red' }, 'body.colour');
    refusal([], 'body');
  });
});
