import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseConfig } from '../config/load-config.js';
import { splitListen } from './prometheus-config.js';

function problemsOf(prometheus: unknown): string[] {
  try {
    parseConfig({ prometheus }, {});
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  return [];
}

test('prometheus settings are off by default and checked with the path of each problem', () => {
  assert.deepEqual(parseConfig({}, {}).prometheus, { enabled: false, customerLabels: false, maxLabelValues: 500 });
  assert.deepEqual(problemsOf({ enabled: true, listen: '127.0.0.1:9464', key: 'a-long-enough-metrics-key' }), []);
  assert.match(problemsOf({ listen: '9464' }).join('\n'), /prometheus\.listen: expected host:port/);
  assert.match(problemsOf({ listen: 'localhost:99999' }).join('\n'), /prometheus\.listen: the port must be at most 65535/);
  assert.match(problemsOf({ key: 'short' }).join('\n'), /prometheus\.key: use at least 16 characters/);
  assert.equal(problemsOf({ enabled: 'yes' }).length, 1);
  assert.equal(problemsOf({ maxLabelValues: 0 }).length, 1);
  assert.equal(problemsOf({ port: 9464 }).length, 1, 'unknown keys are refused');
});

test('a listen address splits into host and port, IPv6 brackets removed', () => {
  assert.deepEqual(splitListen('0.0.0.0:9464'), { host: '0.0.0.0', port: 9464 });
  assert.deepEqual(splitListen('[::1]:9464'), { host: '::1', port: 9464 });
});
