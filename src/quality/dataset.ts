import type { ChatRequest } from '../core/canonical.js';
import type { CaptureFilter, CapturedAnswer } from './captured-request.js';

/**
 * A dataset is a named, versioned list of items: requests to replay, each with an optional reference answer (the
 * recorded answer, or a corrected one from a `demonstration` feedback). Datasets write these; evaluations and exports
 * read them through `DatasetReader`.
 */
export interface DatasetItem {
  /** Stable within one dataset version. */
  id: string;
  /** Canonical request, never its native body. */
  request: ChatRequest;
  reference: CapturedAnswer | null;
  /** The captured request it came from, when it came from capture. */
  sourceRequestId: string | null;
  /** Tags, route, customer and whatever an import carried, as strings. */
  metadata: Record<string, string>;
}

export interface DatasetVersion {
  name: string;
  /** 1 for the first version; each new version of the same name adds one. */
  version: number;
  /** Epoch ms. */
  createdAt: number;
  itemCount: number;
  source: 'capture' | 'import';
  /** The capture filter it was made from, for `source: capture`. */
  filter?: CaptureFilter;
}

export interface DatasetItemPage {
  items: DatasetItem[];
  nextCursor: string | null;
}

export interface DatasetReader {
  /** The newest version when `version` is left out. */
  get(name: string, version?: number): Promise<DatasetVersion | undefined>;
  /** Items in insertion order. */
  items(name: string, version: number, page: { limit: number; cursor?: string }): Promise<DatasetItemPage>;
}
