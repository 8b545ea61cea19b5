import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { CounterFamily, HistogramFamily } from './series-family.js';

test('counter and histogram cells are exported in the Prometheus text format, buckets cumulative', async () => {
  const registry = new Registry();
  const counter = new CounterFamily('demo_requests_total', 'Requests.', ['model'], registry);
  const histogram = new HistogramFamily('demo_seconds', 'Seconds.', ['model'], { buckets: [0.1, 1], registry });
  counter.child('a').inc();
  counter.child('a').inc(2);
  counter.child('unused');
  const cell = histogram.child('a');
  for (const value of [0.05, 0.5, 0.7, 3]) cell.observe(value);
  const text = await registry.metrics();
  assert.match(text, /# TYPE demo_requests_total counter\ndemo_requests_total\{model="a"\} 3\n/);
  assert.ok(!text.includes('model="unused"'), 'a cell never incremented is left out');
  assert.match(text, /# TYPE demo_seconds histogram/);
  assert.match(text, /demo_seconds_bucket\{model="a",le="0.1"\} 1\n/);
  assert.match(text, /demo_seconds_bucket\{model="a",le="1"\} 3\n/);
  assert.match(text, /demo_seconds_bucket\{model="a",le="\+Inf"\} 4\n/);
  assert.match(text, /demo_seconds_sum\{model="a"\} 4.25\n/);
  assert.match(text, /demo_seconds_count\{model="a"\} 4/);
});
