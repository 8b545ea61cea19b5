import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RefreshingCredential } from './refreshing-credential.js';

test('concurrent callers share one fetch; the credential is fetched again five minutes before it expires', async () => {
  let now = 1_000_000;
  let fetches = 0;
  const credential = new RefreshingCredential(async () => {
    fetches += 1;
    return { value: `token-${fetches}`, expiresAtMs: now + 3_600_000 };
  }, () => now);
  assert.deepEqual(await Promise.all([credential.get(), credential.get(), credential.get()]), ['token-1', 'token-1', 'token-1']);
  assert.equal(fetches, 1);
  now += 3_600_000 - 300_001;
  assert.equal(await credential.get(), 'token-1');
  now += 2;
  assert.equal(await credential.get(), 'token-2');
  assert.equal(fetches, 2);
});

test('a failed fetch is not cached: the next caller tries again', async () => {
  let attempts = 0;
  const credential = new RefreshingCredential(async () => {
    attempts += 1;
    if (attempts === 1) throw new Error('endpoint down');
    return { value: 'ok', expiresAtMs: undefined };
  });
  await assert.rejects(credential.get(), /endpoint down/);
  assert.equal(await credential.get(), 'ok');
  assert.equal(await credential.get(), 'ok');
  assert.equal(attempts, 2);
});
