import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RequestRecord } from '../../ledger/ledger-record.js';
import type { Store } from '../store.js';
import { sqliteDatasets } from './sqlite-datasets.js';
import { sqliteEvaluations } from './sqlite-evaluations.js';
import { sqliteKeys } from './sqlite-keys.js';
import { sqliteCustomers, sqliteRevenue } from './sqlite-finance.js';
import { SqliteLedgerRepository } from './sqlite-ledger.js';
import { sqliteResponses } from './sqlite-responses.js';
import { SqliteLedgerWriter } from './sqlite-ledger-writer.js';
import { sqliteMigrations } from './sqlite-schema.js';
import { sqliteCaptures, sqliteFeedback } from './sqlite-quality.js';
import { sqliteAudit } from './sqlite-audit.js';



function migrate(database: Database.Database): void {
  const version = database.pragma('user_version', { simple: true }) as number;
  for (let index = version; index < sqliteMigrations.length; index += 1) {
    database.transaction(() => {
      database.exec(sqliteMigrations[index] as string);
      database.pragma(`user_version = ${index + 1}`);
    })();
  }
}

/** The embedded driver: one SQLite file, WAL mode. `:memory:` works for tests. */
export function openSqliteStore(file: string): Store {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new Database(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  migrate(database);

  const getSetting = database.prepare('SELECT value FROM settings WHERE name = ?');
  const setSetting = database.prepare('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value');
  const ledger = new SqliteLedgerRepository(database);
  // A file database is written from a worker thread; an in-memory one exists only on this connection.
  const writer = file === ':memory:' ? undefined : new SqliteLedgerWriter(file);

  return {
    driver: 'sqlite',
    keys: sqliteKeys(database),
    ledger: {
      insertBatch: async (records: RequestRecord[]) => (writer ? writer.insertBatch(records) : ledger.insertBatch(records)),
      usage: async (query) => ledger.usage(query),
      count: async () => ledger.count(),
      get: async (id) => ledger.get(id),
      rollup: async (query) => ledger.rollup(query),
      series: async (query) => ledger.series(query),
    },
    revenue: sqliteRevenue(database),
    customers: sqliteCustomers(database),
    datasets: sqliteDatasets(database),
    responses: sqliteResponses(database, writer ? (row) => writer.insertResponse(row) : undefined),
    captures: sqliteCaptures(database, writer ? { insert: (rows) => writer.insertCaptures(rows), deleteExpired: (now) => writer.deleteExpiredCaptures(now) } : undefined),
    feedback: sqliteFeedback(database),
    evaluations: sqliteEvaluations(database),
    audit: sqliteAudit(database),
    settings: {
      async get(name) {
        return (getSetting.get(name) as { value: string } | undefined)?.value;
      },
      async set(name, value) {
        setSetting.run(name, value);
      },
    },
    async close() {
      await writer?.close();
      database.close();
    },
  };
}
