import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../../core/errors.js';
import type { DatasetVersion } from '../../quality/dataset.js';
import { readCaptureFilter } from '../../quality/dataset-filter.js';
import { checkDatasetName, createDatasetFromCapture, groupVersions, importDataset } from '../../quality/dataset-service.js';
import { exportDataset, exportFormats, isExportFormat, tallyExport, type ExportTally } from '../../quality/export-dataset.js';
import type { Gateway } from '../gateway.js';
import { readJsonBody, readTextBody, sendJson } from '../http-body.js';
import { recordAudit } from './audit-trail.js';
import { invalid, requireObject, requireString } from '../openai/field-reader.js';

const jsonlTypes = ['application/jsonl', 'application/x-ndjson', 'application/x-jsonlines', 'text/plain'];

export function publicVersion(version: DatasetVersion): Record<string, unknown> {
  return { ...version, createdAt: new Date(version.createdAt).toISOString() };
}

function positiveInteger(value: string | null, param: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === null || value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) throw invalid(param, `expected a whole number from 1 to ${max}, got "${value}".`);
  return Number(value);
}

/** The version asked for (`?version=`), else the newest; 404 when the dataset or that version does not exist. */
async function findVersion(gateway: Gateway, name: string, url: URL): Promise<DatasetVersion> {
  const wanted = positiveInteger(url.searchParams.get('version'), 'version');
  const found = await gateway.store.datasets.get(name, wanted);
  if (found) return found;
  throw new GatewayError('not_found', wanted === undefined ? `No dataset named "${name}".` : `Dataset "${name}" has no version ${wanted}.`);
}

async function create(gateway: Gateway, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const limit = gateway.config.server.bodyLimitBytes;
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  let version: DatasetVersion;
  if (jsonlTypes.includes(type) || url.searchParams.has('name')) {
    const name = checkDatasetName(url.searchParams.get('name') ?? '', 'name');
    version = await importDataset(gateway.store.datasets, { name, jsonl: await readTextBody(request, limit), param: 'body' });
  } else {
    const body = requireObject(await readJsonBody(request, limit), 'body');
    const name = checkDatasetName(body.name, 'name');
    if (body.jsonl !== undefined && body.filter !== undefined) throw invalid('jsonl', 'give "filter" (captured requests) or "jsonl" (an import), not both.');
    if (body.jsonl !== undefined) version = await importDataset(gateway.store.datasets, { name, jsonl: requireString(body.jsonl, 'jsonl') });
    else {
      if (body.filter === undefined) throw invalid('filter', 'give "filter" (captured requests) or "jsonl" (an import).');
      const filter = readCaptureFilter(body.filter);
      if (!gateway.captures) throw invalid('filter', 'no captured requests to make a dataset from: capture is not enabled in this gateway.');
      version = await createDatasetFromCapture(gateway.store.datasets, gateway.captures, { name, filter });
    }
  }
  sendJson(response, 201, publicVersion(version));
}

async function list(gateway: Gateway, response: ServerResponse): Promise<void> {
  const data = groupVersions(await gateway.store.datasets.list()).map(({ name, versions }) => {
    const latest = versions.at(-1) as DatasetVersion;
    return { name, latestVersion: latest.version, itemCount: latest.itemCount, createdAt: new Date(latest.createdAt).toISOString(), versions: versions.map(publicVersion) };
  });
  sendJson(response, 200, { data });
}

async function items(gateway: Gateway, name: string, url: URL, response: ServerResponse): Promise<void> {
  const limit = positiveInteger(url.searchParams.get('limit'), 'limit', 1000) ?? 100;
  const version = await findVersion(gateway, name, url);
  const cursor = url.searchParams.get('cursor') ?? undefined;
  const page = await gateway.store.datasets.items(name, version.version, { limit, ...(cursor ? { cursor } : {}) });
  sendJson(response, 200, { name, version: version.version, items: page.items, nextCursor: page.nextCursor });
}

function tallyHeaders(tally: ExportTally): Record<string, string> {
  return { 'x-switchyard-exported': String(tally.exported), 'x-switchyard-skipped': String(tally.skipped), 'x-switchyard-skipped-reasons': JSON.stringify(tally.reasons) };
}

/**
 * Streams the export as JSONL. A first pass counts what is written and skipped, so that the counts arrive as headers
 * before the body; the second writes page by page, waiting for the client to drain.
 */
async function exportVersion(gateway: Gateway, name: string, url: URL, response: ServerResponse): Promise<void> {
  const format = url.searchParams.get('format') ?? '';
  if (!isExportFormat(format)) throw invalid('format', `expected one of ${Object.keys(exportFormats).join(', ')}, got "${format}".`);
  const version = await findVersion(gateway, name, url);
  const options = { name, version: version.version, format };
  const tally = await tallyExport(gateway.store.datasets, options);
  if (tally.exported === 0) {
    const reasons = Object.entries(tally.reasons).map(([reason, count]) => `${reason}: ${count}`).join('; ');
    throw invalid('format', `no item of "${name}" version ${version.version} can be written as ${format} (${reasons}).`);
  }
  response.writeHead(200, {
    'content-type': 'application/x-ndjson; charset=utf-8',
    'content-disposition': `attachment; filename="${name}-v${version.version}-${format}.jsonl"`,
    ...tallyHeaders(tally),
  });
  await exportDataset(gateway.store.datasets, options, async (chunk) => {
    if (response.destroyed) throw new GatewayError('invalid_request', 'The client went away during the export.');
    if (!response.write(chunk)) await Promise.race([once(response, 'drain'), once(response, 'close')]);
  });
  response.end();
}

async function remove(gateway: Gateway, name: string, url: URL, http: { request: IncomingMessage; response: ServerResponse }): Promise<void> {
  const response = http.response;
  const version = positiveInteger(url.searchParams.get('version'), 'version');
  const deleted = await gateway.store.datasets.delete(name, version);
  if (deleted === 0) throw new GatewayError('not_found', version === undefined ? `No dataset named "${name}".` : `Dataset "${name}" has no version ${version}.`);
  await recordAudit(gateway, http.request, { action: 'dataset.delete', target: name, after: { version: version ?? 'all', deletedVersions: deleted } });
  sendJson(response, 200, { name, ...(version === undefined ? {} : { version }), deletedVersions: deleted });
}

function decodeName(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalid('name', `"${segment}" is not a valid URL-encoded dataset name.`);
  }
}

/** `/admin/datasets[/:name[/items|/export]]`; false when the path is none of these. */
export async function handleDatasets(gateway: Gateway, request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
  const method = request.method ?? 'GET';
  if (url.pathname === '/admin/datasets') {
    if (method === 'POST') await create(gateway, request, response, url);
    else if (method === 'GET') await list(gateway, response);
    else return false;
    return true;
  }
  const match = /^\/admin\/datasets\/([^/]+)(\/items|\/export)?$/.exec(url.pathname);
  if (!match) return false;
  const name = decodeName(match[1] as string);
  const tail = match[2];
  if (tail === '/items' && method === 'GET') await items(gateway, name, url, response);
  else if (tail === '/export' && method === 'GET') await exportVersion(gateway, name, url, response);
  else if (tail === undefined && method === 'GET') {
    const versions = (await gateway.store.datasets.list()).filter((version) => version.name === name);
    if (versions.length === 0) throw new GatewayError('not_found', `No dataset named "${name}".`);
    sendJson(response, 200, { name, versions: versions.map(publicVersion) });
  } else if (tail === undefined && method === 'DELETE') await remove(gateway, name, url, { request, response });
  else return false;
  return true;
}
