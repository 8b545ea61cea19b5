import { GatewayError } from '../core/errors.js';
import type { CaptureFilter } from '../quality/captured-request.js';
import type { DatasetItem, DatasetVersion } from '../quality/dataset.js';

/** Dataset tables, the same in every driver: `datasets` keeps the last version number given, so numbers are not reused. */
export function datasetTablesSql(bigint: 'INTEGER' | 'BIGINT'): string {
  return `CREATE TABLE datasets (name TEXT PRIMARY KEY, last_version INTEGER NOT NULL);
   CREATE TABLE dataset_versions (
     name TEXT NOT NULL, version INTEGER NOT NULL, created_at ${bigint} NOT NULL, item_count INTEGER NOT NULL,
     source TEXT NOT NULL, filter TEXT, PRIMARY KEY (name, version));
   CREATE TABLE dataset_items (
     name TEXT NOT NULL, version INTEGER NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, request TEXT NOT NULL,
     reference TEXT, source_request_id TEXT, metadata TEXT NOT NULL,
     PRIMARY KEY (name, version, seq), UNIQUE (name, version, id));`;
}

export const datasetItemColumns = ['name', 'version', 'seq', 'id', 'request', 'reference', 'source_request_id', 'metadata'];

/** One row of `dataset_items` per item, `seq` counting from 1 in insertion order. */
export function datasetItemRow(name: string, version: number, seq: number, item: DatasetItem): unknown[] {
  const { native: _native, ...request } = item.request;
  return [name, version, seq, item.id, JSON.stringify(request), item.reference === null ? null : JSON.stringify(item.reference), item.sourceRequestId, JSON.stringify(item.metadata)];
}

export function datasetItemFromRow(row: Record<string, unknown>): DatasetItem {
  return {
    id: row.id as string,
    request: JSON.parse(row.request as string) as DatasetItem['request'],
    reference: typeof row.reference === 'string' ? (JSON.parse(row.reference) as DatasetItem['reference']) : null,
    sourceRequestId: (row.source_request_id as string | null) ?? null,
    metadata: JSON.parse(row.metadata as string) as Record<string, string>,
  };
}

export function datasetVersionFromRow(row: Record<string, unknown>): DatasetVersion {
  const version: DatasetVersion = {
    name: row.name as string,
    version: Number(row.version),
    createdAt: Number(row.created_at),
    itemCount: Number(row.item_count),
    source: row.source as DatasetVersion['source'],
  };
  if (typeof row.filter === 'string') version.filter = JSON.parse(row.filter) as CaptureFilter;
  return version;
}

/** Item cursors are the `seq` of the last item returned; anything else is refused naming `cursor`. */
export function parseItemCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  if (!/^\d{1,15}$/.test(cursor)) throw new GatewayError('invalid_request', `The cursor "${cursor}" is not one this API returned.`, { param: 'cursor' });
  return Number(cursor);
}

/** Builds the page from up to `limit + 1` rows, read to know whether another page follows. */
export function itemPage(rows: Array<Record<string, unknown>>, limit: number): { items: DatasetItem[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map(datasetItemFromRow), nextCursor: rows.length > limit && last ? String(last.seq) : null };
}
