import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, parseConfig } from '../config/load-config.js';
import { silentLogger } from '../core/logger.js';
import { ConfigReloader, mergeReloadable } from './config-reload.js';

const base = { providers: { sim: { type: 'openai', baseUrl: 'http://127.0.0.1:9/v1' } }, models: { house: { provider: 'sim' } } };

describe('mergeReloadable', () => {
  test('takes models and routes from the new config and keeps sections that need a restart', () => {
    const running = parseConfig(base, {});
    const next = parseConfig({ ...base, storage: 'postgres://db/switchyard', server: { port: 5000 }, models: { house: { provider: 'sim' }, extra: { provider: 'sim' } }, routes: { chat: { strategy: 'fallback', targets: ['extra', 'house'] } } }, {});
    const merged = mergeReloadable(running, next);
    assert.deepEqual(merged.needsRestart.sort(), ['server', 'storage']);
    assert.equal(merged.config.storage, undefined);
    assert.equal(merged.config.server.port, running.server.port);
    assert.deepEqual(Object.keys(merged.config.models), ['house', 'extra']);
    assert.deepEqual(Object.keys(merged.config.routes), ['chat']);
  });
});

describe('ConfigReloader', () => {
  test('applies nothing when the new config does not validate, and reports every problem', () => {
    let applied = 0;
    const reloader = new ConfigReloader({
      load: () => {
        throw new ConfigError('switchyard.yaml', ['models.x.provider: unknown provider "nowhere"', 'routes.r.strategy: must be one of fallback | weighted']);
      },
      current: () => parseConfig(base, {}),
      apply: () => (applied += 1),
      logger: silentLogger,
    });
    assert.deepEqual(reloader.reload('test'), { applied: false, problems: ['models.x.provider: unknown provider "nowhere"', 'routes.r.strategy: must be one of fallback | weighted'] });
    assert.equal(applied, 0);
  });

  test('refuses a config whose parts cannot be built, with the reason', () => {
    const reloader = new ConfigReloader({
      load: () => parseConfig(base, {}),
      current: () => parseConfig(base, {}),
      apply: () => {
        throw new Error('router model file is not readable');
      },
      logger: silentLogger,
    });
    assert.deepEqual(reloader.reload('test'), { applied: false, problems: ['router model file is not readable'] });
  });
});
