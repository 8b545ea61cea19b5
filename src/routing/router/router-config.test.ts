import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseConfig } from '../../config/load-config.js';

const base = { providers: { p: { type: 'openai', apiKey: 'k' } }, models: { small: { provider: 'p' }, large: { provider: 'p' } } };

function problems(route: unknown): string[] {
  try {
    parseConfig({ ...base, routes: { smart: route } }, {});
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

test('router routes: settings are checked with the path of each problem', () => {
  assert.deepEqual(problems({ strategy: 'router', targets: ['small', 'large'], router: { model: 'router.json', maxStrongShare: 0.3 } }), []);
  assert.ok(problems({ strategy: 'router', targets: ['small'], router: { model: 'r.json' } }).some((problem) => problem.startsWith('routes.smart.targets:')));
  assert.ok(problems({ strategy: 'router', targets: ['small', 'large'] }).some((problem) => problem.startsWith('routes.smart.router:')));
  assert.ok(problems({ strategy: 'router', targets: ['small', 'large'], router: { model: 'r.json', maxStrongShare: 1.5 } }).some((problem) => problem.startsWith('routes.smart.router.maxStrongShare:')));
  assert.ok(problems({ strategy: 'router', targets: ['small', 'large'], router: { model: 'r.json', maxStrongShare: 0.2, minQuality: 0.5 } }).some((problem) => problem.includes('set maxStrongShare or minQuality, not both')));
  assert.ok(problems({ strategy: 'router', targets: ['small', 'large'], router: { model: 'r.json', threshold: 2 } }).some((problem) => problem.includes('unknown field "threshold"')));
});
