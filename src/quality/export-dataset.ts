import type { DatasetItem, DatasetReader } from './dataset.js';
import { toBedrockLine } from './export-bedrock.js';
import type { ExportResult } from './export-conversation.js';
import { toEvalLine } from './export-eval.js';
import { toOpenAiLine } from './export-openai.js';
import { toVertexLine } from './export-vertex.js';

export const exportFormats = {
  openai: toOpenAiLine,
  bedrock: toBedrockLine,
  vertex: toVertexLine,
  eval: toEvalLine,
} satisfies Record<string, (item: DatasetItem) => ExportResult>;

export type ExportFormat = keyof typeof exportFormats;

export function isExportFormat(value: string): value is ExportFormat {
  return Object.hasOwn(exportFormats, value);
}

/** What an export wrote and what it left out, by reason. */
export interface ExportTally {
  exported: number;
  skipped: number;
  reasons: Record<string, number>;
}

export function emptyTally(): ExportTally {
  return { exported: 0, skipped: 0, reasons: {} };
}

/** Converts items to JSONL lines (each ending in a newline), counting every skipped item by reason in `tally`. */
export function* exportLines(items: Iterable<DatasetItem>, format: ExportFormat, tally: ExportTally): Generator<string> {
  const convert = exportFormats[format];
  for (const item of items) {
    const result = convert(item);
    if ('skip' in result) {
      tally.skipped += 1;
      tally.reasons[result.skip] = (tally.reasons[result.skip] ?? 0) + 1;
      continue;
    }
    tally.exported += 1;
    yield `${JSON.stringify(result.line)}\n`;
  }
}

/** Every item of a dataset version, one page at a time, so that a large version is never held whole. */
export async function* datasetPages(reader: DatasetReader, name: string, version: number, pageSize = 500): AsyncGenerator<DatasetItem[]> {
  let cursor: string | undefined;
  do {
    const page = await reader.items(name, version, { limit: pageSize, ...(cursor === undefined ? {} : { cursor }) });
    if (page.items.length > 0) yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

/** Streams a version's export through `write`, returning the tally. */
export async function exportDataset(reader: DatasetReader, options: { name: string; version: number; format: ExportFormat }, write: (chunk: string) => Promise<void> | void): Promise<ExportTally> {
  const tally = emptyTally();
  for await (const page of datasetPages(reader, options.name, options.version)) {
    const chunk = [...exportLines(page, options.format, tally)].join('');
    if (chunk !== '') await write(chunk);
  }
  return tally;
}

/** Counts what an export would write and skip without writing it, so a response can state it before its body. */
export async function tallyExport(reader: DatasetReader, options: { name: string; version: number; format: ExportFormat }): Promise<ExportTally> {
  return exportDataset(reader, options, () => undefined);
}
