import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CircuitBreaker } from './circuit-breaker.js';
import { RetryBudget } from './retry-budget.js';

const options = { consecutiveFailures: 3, errorRate: 0.5, windowSize: 10, minimumRequests: 6, cooldownMs: 1_000 };

test('a breaker opens after consecutive failures, lets one probe through after the cooldown, and closes on success', () => {
  const breaker = new CircuitBreaker(options);
  for (let index = 0; index < 3; index += 1) breaker.record(false, 0);
  assert.equal(breaker.allows(500), false);
  assert.equal(breaker.allows(1_000), true, 'the first call after the cooldown is the probe');
  assert.equal(breaker.allows(1_001), false, 'only one probe at a time');
  breaker.record(true, 1_002);
  assert.equal(breaker.snapshot(1_002).state, 'closed');
  assert.equal(breaker.allows(1_003), true);
});

test('a failed probe opens the breaker again for another cooldown', () => {
  const breaker = new CircuitBreaker(options);
  for (let index = 0; index < 3; index += 1) breaker.record(false, 0);
  assert.equal(breaker.allows(1_000), true);
  breaker.record(false, 1_000);
  assert.equal(breaker.allows(1_500), false);
  assert.equal(breaker.snapshot(1_500).opens, 2);
  assert.equal(breaker.allows(2_000), true);
});

test('a breaker opens on the error rate once enough requests were seen, without consecutive failures', () => {
  const breaker = new CircuitBreaker(options);
  const outcomes = [true, false, true, false, true, false];
  outcomes.forEach((success) => breaker.record(success, 0));
  assert.equal(breaker.snapshot(0).state, 'open');
});

test('a retry budget allows its floor, then a share of recent requests, and refills as the window moves', () => {
  const budget = new RetryBudget({ ratio: 0.1, minimum: 2 });
  for (let index = 0; index < 20; index += 1) budget.recordRequest(0);
  // floor 2 + 10% of 20 requests = 4 retries.
  const granted = Array.from({ length: 10 }, () => budget.tryRetry(0)).filter(Boolean).length;
  assert.equal(granted, 4);
  assert.equal(budget.tryRetry(5_000), false, 'still inside the ten-second window');
  assert.equal(budget.tryRetry(11_000), true, 'the window moved past the old retries');
});

test('transitions another replica made are applied without being announced again, and an older opening never shortens a cooldown', () => {
  const announced: string[] = [];
  const breaker = new CircuitBreaker(options, (transition) => announced.push(transition.state));
  breaker.applyShared({ state: 'open', openedAt: 1_000 });
  assert.equal(breaker.allows(1_500), false);
  breaker.applyShared({ state: 'open', openedAt: 0 });
  assert.equal(breaker.snapshot(1_500).retryInMs, options.cooldownMs - 500, 'the later opening still counts');
  breaker.applyShared({ state: 'closed' });
  assert.equal(breaker.allows(1_600), true);
  assert.deepEqual(announced, []);
  for (let index = 0; index < options.consecutiveFailures; index += 1) breaker.record(false, 2_000);
  assert.deepEqual(announced, ['open'], 'its own opening is announced');
});
