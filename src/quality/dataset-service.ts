import { GatewayError } from '../core/errors.js';
import type { DatasetRepository } from '../store/store.js';
import type { CaptureFilter, CaptureReader } from './captured-request.js';
import { collectCaptureItems } from './dataset-from-capture.js';
import { readDatasetJsonl } from './dataset-import.js';
import type { DatasetVersion } from './dataset.js';

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Dataset names appear in URLs and file names: letters, digits, `.`, `_` and `-`, up to 128 characters. */
export function checkDatasetName(name: unknown, param = 'name'): string {
  if (typeof name !== 'string' || name === '') throw new GatewayError('invalid_request', `${param}: a dataset needs a name.`, { param });
  if (!namePattern.test(name)) {
    throw new GatewayError('invalid_request', `${param}: "${name}" is not a dataset name; use letters, digits, ".", "_" and "-" (up to 128, starting with a letter or digit).`, { param });
  }
  return name;
}

/** Makes the next version of `name` from the captured requests the filter matches. */
export async function createDatasetFromCapture(
  datasets: DatasetRepository,
  captures: CaptureReader,
  input: { name: string; filter: CaptureFilter; now?: number },
): Promise<DatasetVersion> {
  const items = await collectCaptureItems(captures, input.filter);
  return datasets.create({ name: checkDatasetName(input.name), createdAt: input.now ?? Date.now(), source: 'capture', filter: input.filter, items });
}

/** Makes the next version of `name` from JSONL text; a bad line fails the whole import, naming the line and field. */
export async function importDataset(datasets: DatasetRepository, input: { name: string; jsonl: string; param?: string; now?: number }): Promise<DatasetVersion> {
  const name = checkDatasetName(input.name);
  const items = readDatasetJsonl(input.jsonl, input.param ?? 'jsonl');
  return datasets.create({ name, createdAt: input.now ?? Date.now(), source: 'import', items });
}

/** Versions grouped by dataset name, in the order the store lists them. */
export function groupVersions(versions: DatasetVersion[]): Array<{ name: string; versions: DatasetVersion[] }> {
  const groups = new Map<string, DatasetVersion[]>();
  for (const version of versions) {
    const list = groups.get(version.name) ?? [];
    list.push(version);
    groups.set(version.name, list);
  }
  return [...groups].map(([name, list]) => ({ name, versions: list }));
}
