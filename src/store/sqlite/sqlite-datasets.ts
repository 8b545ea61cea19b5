import type Database from 'better-sqlite3';
import { datasetItemRow, datasetVersionFromRow, itemPage, parseItemCursor } from '../dataset-rows.js';
import type { DatasetRepository, NewDatasetVersion } from '../store.js';

type Row = Record<string, unknown>;

export function sqliteDatasets(database: Database.Database): DatasetRepository {
  const nextVersion = database.prepare(
    'INSERT INTO datasets (name, last_version) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET last_version = last_version + 1 RETURNING last_version',
  );
  const insertVersion = database.prepare(
    'INSERT INTO dataset_versions (name, version, created_at, item_count, source, filter) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertItem = database.prepare(
    'INSERT INTO dataset_items (name, version, seq, id, request, reference, source_request_id, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const create = database.transaction((input: NewDatasetVersion) => {
    const version = (nextVersion.get(input.name) as { last_version: number }).last_version;
    insertVersion.run(input.name, version, input.createdAt, input.items.length, input.source, input.filter ? JSON.stringify(input.filter) : null);
    input.items.forEach((item, index) => insertItem.run(...datasetItemRow(input.name, version, index + 1, item)));
    return version;
  });
  const newest = database.prepare('SELECT * FROM dataset_versions WHERE name = ? ORDER BY version DESC LIMIT 1');
  const one = database.prepare('SELECT * FROM dataset_versions WHERE name = ? AND version = ?');
  const all = database.prepare('SELECT * FROM dataset_versions ORDER BY name, version');
  const items = database.prepare('SELECT * FROM dataset_items WHERE name = ? AND version = ? AND seq > ? ORDER BY seq LIMIT ?');
  const deleteVersionItems = database.prepare('DELETE FROM dataset_items WHERE name = ? AND version = ?');
  const deleteVersion = database.prepare('DELETE FROM dataset_versions WHERE name = ? AND version = ?');
  const deleteAllItems = database.prepare('DELETE FROM dataset_items WHERE name = ?');
  const deleteAllVersions = database.prepare('DELETE FROM dataset_versions WHERE name = ?');
  const deleteName = database.prepare('DELETE FROM datasets WHERE name = ?');
  const remove = database.transaction((name: string, version: number | undefined): number => {
    if (version !== undefined) {
      deleteVersionItems.run(name, version);
      return deleteVersion.run(name, version).changes;
    }
    deleteAllItems.run(name);
    const removed = deleteAllVersions.run(name).changes;
    deleteName.run(name);
    return removed;
  });

  return {
    async create(input) {
      const version = create(input);
      return datasetVersionFromRow(one.get(input.name, version) as Row);
    },
    async get(name, version) {
      const row = (version === undefined ? newest.get(name) : one.get(name, version)) as Row | undefined;
      return row ? datasetVersionFromRow(row) : undefined;
    },
    async items(name, version, page) {
      const after = parseItemCursor(page.cursor);
      return itemPage(items.all(name, version, after, page.limit + 1) as Row[], page.limit);
    },
    async list() {
      return (all.all() as Row[]).map(datasetVersionFromRow);
    },
    async delete(name, version) {
      return remove(name, version);
    },
  };
}
