import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FailedAuthThrottle } from './failed-auth-throttle.js';

test('an address may fail `burst` times at once, then waits for the allowance to come back', () => {
  const throttle = new FailedAuthThrottle({ burst: 3, perMinute: 60, maxAddresses: 10 });
  for (let failure = 0; failure < 3; failure += 1) {
    assert.equal(throttle.waitMs('192.0.2.1', 0), 0);
    throttle.recordFailure('192.0.2.1', 0);
  }
  assert.equal(throttle.waitMs('192.0.2.1', 0), 1000);
  assert.equal(throttle.waitMs('192.0.2.1', 400), 600);
  assert.equal(throttle.waitMs('192.0.2.1', 1000), 0);
  assert.equal(throttle.waitMs('192.0.2.2', 0), 0, 'another address keeps its own allowance');
});

test('the allowance refills to the burst and no further', () => {
  const throttle = new FailedAuthThrottle({ burst: 2, perMinute: 60, maxAddresses: 10 });
  throttle.recordFailure('a', 0);
  throttle.recordFailure('a', 3_600_000);
  throttle.recordFailure('a', 3_600_000);
  assert.ok(throttle.waitMs('a', 3_600_000) > 0, 'an hour of quiet gives back two failures, not thousands');
});

test('memory stays bounded: the least recently failing address is forgotten first', () => {
  const throttle = new FailedAuthThrottle({ burst: 1, perMinute: 1, maxAddresses: 100 });
  for (let index = 0; index < 10_000; index += 1) throttle.recordFailure(`10.0.${index >> 8}.${index & 255}`, 0);
  assert.equal(throttle.size, 100);
  assert.equal(throttle.waitMs('10.0.0.0', 0), 0, 'forgotten');
  assert.ok(throttle.waitMs('10.0.39.15', 0) > 0, 'the last address is still held back');
});
