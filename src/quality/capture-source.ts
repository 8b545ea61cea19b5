import type { Store } from '../store/store.js';
import { createCaptureReader } from './capture-reader.js';
import type { CaptureReader } from './captured-request.js';

/** The reader of the requests captured in this store, which datasets are made from (the command line asks here). */
export function captureReaderFor(store: Store): CaptureReader {
  return createCaptureReader(store);
}
