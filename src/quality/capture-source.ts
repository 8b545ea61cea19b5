import type { Store } from '../store/store.js';
import type { CaptureReader } from './captured-request.js';

/**
 * The reader of the requests captured in this store, which datasets are made from; the gateway and the CLI both ask
 * here. Undefined while the store keeps no captures: making a dataset from a filter is then refused naming `filter`.
 */
export function captureReaderFor(_store: Store): CaptureReader | undefined {
  return undefined;
}
