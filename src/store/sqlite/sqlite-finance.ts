import type Database from 'better-sqlite3';
import { customerData, customerFromRow } from '../customer-data.js';
import type { CustomerRepository, RevenueRecord, RevenueRepository } from '../store.js';

export function sqliteRevenue(database: Database.Database): RevenueRepository {
  const upsertRow = database.prepare(
    'INSERT INTO revenue (customer, period, usd) VALUES (@customer, @period, @usd) ON CONFLICT (customer, period) DO UPDATE SET usd = excluded.usd',
  );
  const upsertAll = database.transaction((rows: RevenueRecord[]) => {
    for (const row of rows) upsertRow.run({ customer: row.customer, period: row.period, usd: row.usd });
  });
  const listRange = database.prepare(
    'SELECT customer, period, usd FROM revenue WHERE (@from IS NULL OR period >= @from) AND (@to IS NULL OR period <= @to) ORDER BY period, customer',
  );
  return {
    async upsert(rows) {
      upsertAll(rows);
    },
    async list(range = {}) {
      return listRange.all({ from: range.from ?? null, to: range.to ?? null }) as RevenueRecord[];
    },
  };
}

export function sqliteCustomers(database: Database.Database): CustomerRepository {
  const getOne = database.prepare('SELECT * FROM customers WHERE id = ?');
  const putOne = database.prepare(
    'INSERT INTO customers (id, data, updated_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at',
  );
  const listAll = database.prepare('SELECT * FROM customers ORDER BY id');
  return {
    async get(id) {
      const row = getOne.get(id) as Record<string, unknown> | undefined;
      return row ? customerFromRow(row) : undefined;
    },
    async put(customer) {
      putOne.run(customer.id, customerData(customer), customer.updatedAt);
    },
    async list() {
      return (listAll.all() as Array<Record<string, unknown>>).map(customerFromRow);
    },
  };
}
