import { postgresKeys } from './postgres-keys.js';
import pg from 'pg';
import type { Store } from '../store.js';
import { postgresDatasets } from './postgres-datasets.js';
import { postgresEvaluations } from './postgres-evaluations.js';
import { postgresCustomers, postgresRevenue } from './postgres-finance.js';
import { postgresLedger } from './postgres-ledger.js';
import { postgresResponses } from './postgres-responses.js';
import { migratePostgres } from './postgres-schema.js';
import { postgresCaptures, postgresFeedback } from './postgres-quality.js';
import { postgresAudit } from './postgres-audit.js';


const int8Oid = 20;
const numericOid = 1700;

/**
 * BIGINT and NUMERIC arrive as strings by default. Timestamps (epoch ms) and token counts stay far
 * below 2^53, so numbers are exact. Scoped to this pool rather than pg's global parser table.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === int8Oid || oid === numericOid ? Number : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};


/**
 * The shared driver, for several replicas behind one database. Connection settings come from the
 * URL, including libpq's `options` (e.g. `?options=-c%20search_path%3Dswitchyard` for another schema).
 */
export async function openPostgresStore(url: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 10, types });
  // An idle connection dropped by the server must not crash the process; the pool opens a new one.
  pool.on('error', () => undefined);
  try {
    await migratePostgres(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }

  return {
    driver: 'postgres',
    keys: postgresKeys(pool),
    ledger: postgresLedger(pool),
    revenue: postgresRevenue(pool),
    customers: postgresCustomers(pool),
    datasets: postgresDatasets(pool),
    responses: postgresResponses(pool),
    captures: postgresCaptures(pool),
    feedback: postgresFeedback(pool),
    evaluations: postgresEvaluations(pool),
    audit: postgresAudit(pool),
    settings: {
      async get(name) {
        return (await pool.query<{ value: string }>('SELECT value FROM settings WHERE name = $1', [name])).rows[0]?.value;
      },
      async set(name, value) {
        await pool.query(
          'INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value',
          [name, value],
        );
      },
    },
    async close() {
      await pool.end();
    },
  };
}
