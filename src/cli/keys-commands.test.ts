import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { cliSandbox } from './cli-sandbox.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';

describe('switchyard keys commands', () => {
  const sandbox = cliSandbox('switchyard-keys-cli-');
  const folder = sandbox.folder;
  const run = sandbox.run;

  after(() => sandbox.remove());

  test('keys create --role makes an admin key that the list shows with its role', () => {
    const created = run('keys', 'create', '--name', 'books', '--role', 'finance');
    assert.equal(created.status, 0, created.stderr);
    assert.match(created.stdout, /Created admin key with the finance role key_\w+ \(books\)/);
    assert.match(created.stdout, /\nsy-admin-[A-Za-z0-9_-]{32}\n/);
    assert.equal(run('keys', 'create', '--name', 'app').status, 0);
    const listed = run('keys', 'list').stdout;
    assert.match(listed, /books\s+finance\s+sy-admin-/);
    assert.match(listed, /app\s+client\s+sy-/);
  });

  test('an unknown role is refused and no key is made', () => {
    const before = run('keys', 'list').stdout.split('\n').length;
    const refused = run('keys', 'create', '--name', 'x', '--role', 'owner');
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /--role: expected one of admin, finance, viewer, got "owner"/);
    assert.equal(run('keys', 'list').stdout.split('\n').length, before);
  });

  test('keys rotate prints a new secret, and every change is in the audit log as the command line', async () => {
    const created = run('keys', 'create', '--name', 'rotating');
    const id = /key_\w+/.exec(created.stdout)?.[0] as string;
    const rotated = run('keys', 'rotate', id, '--grace-seconds', '60');
    assert.equal(rotated.status, 0, rotated.stderr);
    assert.match(rotated.stdout, /the old secret works until \d{4}-\d\d-\d\dT/);
    assert.notEqual(/\nsy-\S+\n/.exec(rotated.stdout)?.[0], /\nsy-\S+\n/.exec(created.stdout)?.[0]);
    assert.equal(run('keys', 'rotate', id, '--grace-seconds', 'soon').status, 1);
    assert.equal(run('keys', 'revoke', id).status, 0);
    const store = openSqliteStore(join(folder, 'data', 'switchyard.db'));
    try {
      const entries = await store.audit.list({ limit: 10, actorId: 'cli' });
      assert.deepEqual(entries.slice(0, 3).map((entry) => [entry.action, entry.target]), [['key.revoke', id], ['key.rotate', id], ['key.create', id]]);
    } finally {
      await store.close();
    }
  });
});
