import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/** Opens the configured store: PostgreSQL for a `postgres://` URL, otherwise the embedded SQLite file. */
export async function openStore(storage: string | undefined, sqliteFile: string): Promise<Store> {
  if (storage && /^postgres(ql)?:\/\//.test(storage)) {
    // Loaded on demand so that a SQLite-only deployment never loads the PostgreSQL client.
    const { openPostgresStore } = await import('./postgres/postgres-store.js');
    return openPostgresStore(storage);
  }
  if (storage && storage.startsWith('sqlite:')) return openSqliteStore(storage.slice('sqlite:'.length));
  return openSqliteStore(sqliteFile);
}
