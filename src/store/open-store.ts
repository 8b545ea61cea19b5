import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/** Opens the configured store: PostgreSQL for a `postgres://` URL, otherwise the embedded SQLite file. */
export async function openStore(storage: string | undefined, sqliteFile: string): Promise<Store> {
  if (storage && /^postgres(ql)?:\/\//.test(storage)) {
    throw new Error('PostgreSQL storage is not available in this build; remove "storage" to use the embedded SQLite store.');
  }
  if (storage && storage.startsWith('sqlite:')) return openSqliteStore(storage.slice('sqlite:'.length));
  return openSqliteStore(sqliteFile);
}
