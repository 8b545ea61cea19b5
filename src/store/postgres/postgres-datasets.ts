import type pg from 'pg';
import { datasetItemColumns, datasetItemRow, datasetVersionFromRow, itemPage, parseItemCursor } from '../dataset-rows.js';
import type { DatasetRepository } from '../store.js';
import { inTransaction } from './postgres-transaction.js';

type Row = Record<string, unknown>;

/** Rows per INSERT: well under PostgreSQL's 65535 parameters, and small enough to keep one statement's text modest. */
const rowsPerStatement = 1000;

async function insertItems(client: pg.PoolClient, rows: unknown[][]): Promise<void> {
  const width = datasetItemColumns.length;
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const chunk = rows.slice(start, start + rowsPerStatement);
    const tuples = chunk.map((_row, index) => `(${datasetItemColumns.map((_column, column) => `$${index * width + column + 1}`).join(', ')})`);
    await client.query(`INSERT INTO dataset_items (${datasetItemColumns.join(', ')}) VALUES ${tuples.join(', ')}`, chunk.flat());
  }
}

export function postgresDatasets(pool: pg.Pool): DatasetRepository {
  return {
    async create(input) {
      return inTransaction(pool, async (client) => {
        // The row lock on `datasets` makes concurrent creates of one name take consecutive numbers.
        const numbered = await client.query<{ last_version: number }>(
          `INSERT INTO datasets (name, last_version) VALUES ($1, 1)
           ON CONFLICT (name) DO UPDATE SET last_version = datasets.last_version + 1 RETURNING last_version`,
          [input.name],
        );
        const version = Number(numbered.rows[0]?.last_version);
        const inserted = await client.query<Row>(
          'INSERT INTO dataset_versions (name, version, created_at, item_count, source, filter) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *',
          [input.name, version, input.createdAt, input.items.length, input.source, input.filter ? JSON.stringify(input.filter) : null],
        );
        await insertItems(client, input.items.map((item, index) => datasetItemRow(input.name, version, index + 1, item)));
        return datasetVersionFromRow(inserted.rows[0] as Row);
      });
    },
    async get(name, version) {
      const result = version === undefined
        ? await pool.query<Row>('SELECT * FROM dataset_versions WHERE name = $1 ORDER BY version DESC LIMIT 1', [name])
        : await pool.query<Row>('SELECT * FROM dataset_versions WHERE name = $1 AND version = $2', [name, version]);
      const row = result.rows[0];
      return row ? datasetVersionFromRow(row) : undefined;
    },
    async items(name, version, page) {
      const after = parseItemCursor(page.cursor);
      const result = await pool.query<Row>(
        'SELECT * FROM dataset_items WHERE name = $1 AND version = $2 AND seq > $3 ORDER BY seq LIMIT $4',
        [name, version, after, page.limit + 1],
      );
      return itemPage(result.rows, page.limit);
    },
    async list() {
      return (await pool.query<Row>('SELECT * FROM dataset_versions ORDER BY name COLLATE "C", version')).rows.map(datasetVersionFromRow);
    },
    async delete(name, version) {
      return inTransaction(pool, async (client) => {
        if (version !== undefined) {
          await client.query('DELETE FROM dataset_items WHERE name = $1 AND version = $2', [name, version]);
          return (await client.query('DELETE FROM dataset_versions WHERE name = $1 AND version = $2', [name, version])).rowCount ?? 0;
        }
        await client.query('DELETE FROM dataset_items WHERE name = $1', [name]);
        const removed = (await client.query('DELETE FROM dataset_versions WHERE name = $1', [name])).rowCount ?? 0;
        await client.query('DELETE FROM datasets WHERE name = $1', [name]);
        return removed;
      });
    },
  };
}
