import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { captureReaderFor } from '../quality/capture-source.js';
import type { CaptureFilter } from '../quality/captured-request.js';
import { readCaptureFilter } from '../quality/dataset-filter.js';
import { checkDatasetName, createDatasetFromCapture, groupVersions, importDataset } from '../quality/dataset-service.js';
import type { DatasetVersion } from '../quality/dataset.js';
import { exportDataset, exportFormats, isExportFormat, type ExportTally } from '../quality/export-dataset.js';
import { withStore } from './commands.js';
import { flagString, type ParsedArgs } from './parse-args.js';
import { formatTable } from './print-table.js';

const usage = `Usage:
  switchyard datasets list [--json]
  switchyard datasets create NAME (--filter JSON | [--model M] [--route R] [--customer C] [--from ISO] [--to ISO] [--status ok|error|N] [--tag k=v,...])
  switchyard datasets import NAME FILE.jsonl   (OpenAI chat fine-tuning lines or {"input", "expected"?, "metadata"?} lines)
  switchyard datasets export NAME --format ${Object.keys(exportFormats).join('|')} [--version N] [--out FILE]
  switchyard datasets delete NAME [--version N]`;

function describeVersion(version: DatasetVersion): string {
  return `${version.name} version ${version.version} (${version.itemCount} item${version.itemCount === 1 ? '' : 's'}, from ${version.source})`;
}

function versionFlag(args: ParsedArgs): number | undefined {
  const text = flagString(args, 'version');
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new Error(`--version: expected a whole number from 1, got "${text}"`);
  return Number(text);
}

/** The filter from `--filter JSON`, or from the single-field flags. */
function filterFromFlags(args: ParsedArgs): CaptureFilter {
  const json = flagString(args, 'filter');
  if (json !== undefined) {
    try {
      return readCaptureFilter(JSON.parse(json));
    } catch (error) {
      if (error instanceof SyntaxError) throw new Error(`--filter: not valid JSON: ${error.message}`);
      throw error;
    }
  }
  const raw: Record<string, unknown> = {};
  for (const name of ['model', 'route', 'customer', 'from', 'to']) {
    const value = flagString(args, name);
    if (value !== undefined) raw[name] = value;
  }
  const status = flagString(args, 'status');
  if (status !== undefined) raw.status = /^\d+$/.test(status) ? Number(status) : status;
  const tags = flagString(args, 'tag');
  if (tags !== undefined) {
    raw.tags = Object.fromEntries(tags.split(',').map((pair) => {
      const equals = pair.indexOf('=');
      if (equals < 1) throw new Error(`--tag: expected k=v pairs separated by commas, got "${pair}"`);
      return [pair.slice(0, equals).trim(), pair.slice(equals + 1).trim()];
    }));
  }
  return readCaptureFilter(raw);
}

async function writeTo(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

function exportSummary(tally: ExportTally): string {
  const reasons = Object.entries(tally.reasons).map(([reason, count]) => `\n  skipped ${count}: ${reason}`).join('');
  return `Exported ${tally.exported} item${tally.exported === 1 ? '' : 's'}, skipped ${tally.skipped}.${reasons}\n`;
}

async function exportCommand(args: ParsedArgs, name: string): Promise<void> {
  const format = flagString(args, 'format') ?? '';
  if (!isExportFormat(format)) throw new Error(`--format: expected one of ${Object.keys(exportFormats).join(', ')}, got "${format}"`);
  const file = flagString(args, 'out');
  const tally = await withStore(args, async (store) => {
    const version = await store.datasets.get(name, versionFlag(args));
    if (!version) throw new Error(`No dataset "${name}"${args.flags.version ? ` version ${String(args.flags.version)}` : ''}.`);
    const out = file === undefined ? process.stdout : createWriteStream(file);
    const result = await exportDataset(store.datasets, { name, version: version.version, format }, (chunk) => writeTo(out, chunk));
    if (file !== undefined) {
      out.end();
      await once(out, 'finish');
    }
    return result;
  });
  process.stderr.write(exportSummary(tally));
}

async function listCommand(args: ParsedArgs): Promise<void> {
  const versions = await withStore(args, (store) => store.datasets.list());
  if (args.flags.json) {
    process.stdout.write(`${JSON.stringify(groupVersions(versions), null, 2)}\n`);
    return;
  }
  const rows = versions.map((version) => [version.name, version.version, version.itemCount, version.source, new Date(version.createdAt).toISOString()]);
  process.stdout.write(`${formatTable(['dataset', 'version', 'items', 'source', 'created'], rows)}\n`);
}

/** `switchyard datasets list|create|import|export|delete`, on the store the gateway uses. */
export async function datasetsCommand(args: ParsedArgs): Promise<void> {
  const action = args.positional[1];
  if (action === 'list') return listCommand(args);
  const name = args.positional[2];
  if (!action || !name || !['create', 'import', 'export', 'delete'].includes(action)) throw new Error(usage);
  checkDatasetName(name, 'NAME');
  if (action === 'export') return exportCommand(args, name);
  if (action === 'import') {
    const file = args.positional[3];
    if (!file) throw new Error(usage);
    const jsonl = await readFile(file, 'utf8');
    const version = await withStore(args, (store) => importDataset(store.datasets, { name, jsonl, param: file }));
    process.stdout.write(`Imported ${describeVersion(version)} from ${file}.\n`);
    return;
  }
  if (action === 'create') {
    const filter = filterFromFlags(args);
    const version = await withStore(args, async (store) => {
      const captures = captureReaderFor(store);
      return createDatasetFromCapture(store.datasets, captures, { name, filter });
    });
    process.stdout.write(`Created ${describeVersion(version)}.\n`);
    return;
  }
  const version = versionFlag(args);
  const deleted = await withStore(args, (store) => store.datasets.delete(name, version));
  if (deleted === 0) throw new Error(`No dataset "${name}"${version === undefined ? '' : ` version ${version}`}.`);
  process.stdout.write(`Deleted ${deleted} version${deleted === 1 ? '' : 's'} of ${name}.\n`);
}
