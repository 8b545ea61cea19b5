import assert from 'node:assert/strict';
import { test } from 'node:test';
import { percentile, scoreInterval, tCritical, tInterval, wilsonInterval } from './evaluation-statistics.js';

const near = (actual: number, expected: number, label: string) => assert.ok(Math.abs(actual - expected) < 5e-4, `${label}: ${actual} is not ${expected}`);

test('Wilson interval, checked by hand: 8 of 10', () => {
  // p = 0.8, z² = 3.8415; centre = (0.8 + 0.19207) / 1.38415 = 0.71674; half = 1.41601 · √(0.016 + 0.0096037) = 0.22656
  const interval = wilsonInterval(8, 10);
  near(interval.mean, 0.8, 'mean');
  near(interval.low, 0.4902, 'low');
  near(interval.high, 0.9433, 'high');
  assert.equal(interval.method, 'wilson');
  const all = wilsonInterval(10, 10);
  near(all.low, 0.7225, 'all low');
  near(all.high, 1, 'all high');
});

test('t interval, checked by hand: 2, 4, 4, 4, 5, 5, 7, 9', () => {
  // mean 5; s² = 32 / 7 = 4.5714, s = 2.13809; t(0.975, 7) = 2.365; half = 2.365 · 2.13809 / √8 = 1.78779
  const interval = tInterval([2, 4, 4, 4, 5, 5, 7, 9]);
  near(interval.mean, 5, 'mean');
  near(interval.low, 3.2122, 'low');
  near(interval.high, 6.7878, 'high');
  assert.equal(interval.method, 't');
});

test('binary scores use Wilson, others t; critical values past the table approach z', () => {
  assert.equal(scoreInterval([1, 0, 1]).method, 'wilson');
  assert.equal(scoreInterval([1, 0.5, 1]).method, 't');
  near(tCritical(30), 2.042, 't30');
  near(tCritical(60), 2.0003, 't60');
  near(tCritical(1000), 1.9623, 't1000');
  assert.ok(Number.isNaN(tInterval([]).mean));
});

test('percentiles interpolate between ranks', () => {
  assert.equal(percentile([40, 10, 20, 30], 0.5), 25);
  near(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.95) as number, 95.5, 'p95');
  assert.equal(percentile([7], 0.95), 7);
  assert.equal(percentile([], 0.5), null);
});
