import type pg from 'pg';
import { customerData, customerFromRow } from '../customer-data.js';
import { inTransaction } from './postgres-transaction.js';
import type { CustomerRepository, RevenueRecord, RevenueRepository } from '../store.js';

export function postgresRevenue(pool: pg.Pool): RevenueRepository {
  return {
    async upsert(rows) {
      if (rows.length === 0) return;
      await inTransaction(pool, async (client) => {
        for (const row of rows) {
          await client.query(
            'INSERT INTO revenue (customer, period, usd) VALUES ($1, $2, $3) ON CONFLICT (customer, period) DO UPDATE SET usd = EXCLUDED.usd',
            [row.customer, row.period, row.usd],
          );
        }
      });
    },
    async list(range = {}) {
      const result = await pool.query<RevenueRecord>(
        `SELECT customer, period, usd FROM revenue WHERE ($1::TEXT IS NULL OR period >= $1) AND ($2::TEXT IS NULL OR period <= $2)
         ORDER BY period, customer COLLATE "C"`,
        [range.from ?? null, range.to ?? null],
      );
      return result.rows;
    },
  };
}

export function postgresCustomers(pool: pg.Pool): CustomerRepository {
  return {
    async get(id) {
      const row = (await pool.query<Record<string, unknown>>('SELECT * FROM customers WHERE id = $1', [id])).rows[0];
      return row ? customerFromRow(row) : undefined;
    },
    async put(customer) {
      await pool.query(
        'INSERT INTO customers (id, data, updated_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data, updated_at = EXCLUDED.updated_at',
        [customer.id, customerData(customer), customer.updatedAt],
      );
    },
    async list() {
      return (await pool.query<Record<string, unknown>>('SELECT * FROM customers ORDER BY id COLLATE "C"')).rows.map(customerFromRow);
    },
  };
}
