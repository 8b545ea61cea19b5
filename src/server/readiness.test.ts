import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Readiness } from './readiness.js';

describe('Readiness', () => {
  test('is not ready before the config is marked loaded', async () => {
    const readiness = new Readiness([]);
    assert.deepEqual(await readiness.report(), { ready: false, checks: { config: 'not loaded yet', draining: 'ok' } });
    readiness.markConfigLoaded();
    assert.equal((await readiness.report()).ready, true);
  });

  test('names a probe that fails and one that does not answer in time', async () => {
    const readiness = new Readiness(
      [
        { name: 'store', probe: () => Promise.reject(new Error('database is locked')) },
        { name: 'redis', probe: () => new Promise(() => undefined) },
        { name: 'other', probe: () => Promise.resolve('fine') },
      ],
      { timeoutMs: 50 },
    );
    readiness.markConfigLoaded();
    const report = await readiness.report();
    assert.equal(report.ready, false);
    assert.deepEqual(report.checks, { config: 'ok', store: 'unreachable: database is locked', redis: 'unreachable: no answer within 50 ms', other: 'ok', draining: 'ok' });
  });

  test('reuses a recent report instead of probing again, but never once draining has begun', async () => {
    let probes = 0;
    const readiness = new Readiness([{ name: 'store', probe: async () => (probes += 1) }], { reuseMs: 60_000 });
    readiness.markConfigLoaded();
    await readiness.report();
    await Promise.all([readiness.report(), readiness.report()]);
    assert.equal(probes, 1);
    readiness.startDraining();
    const report = await readiness.report();
    assert.equal(report.ready, false);
    assert.equal(probes, 2);
  });
});
