import { GatewayError } from '../core/errors.js';
import type { CaptureFilter, CaptureReader, CapturedRequest } from './captured-request.js';
import type { DatasetItem } from './dataset.js';

/** A dataset made from capture holds at most this many items; a wider filter is refused rather than cut short. */
export const maxCaptureItems = 100_000;

const pageSize = 200;

function metadataOf(captured: CapturedRequest): Record<string, string> {
  const metadata: Record<string, string> = { model: captured.requestedModel, status: String(captured.status) };
  const optional: Array<[string, string | null]> = [
    ['route', captured.route], ['provider', captured.provider], ['upstreamModel', captured.upstreamModel],
    ['customer', captured.customer], ['keyId', captured.keyId], ['team', captured.team],
  ];
  for (const [key, value] of optional) if (value !== null) metadata[key] = value;
  for (const [tag, value] of Object.entries(captured.tags)) metadata[`tag.${tag}`] = value;
  if (captured.redacted) metadata.redacted = 'true';
  metadata.reference = captured.demonstration ? 'demonstration' : captured.answer ? 'recorded' : 'none';
  return metadata;
}

/** One item per captured request: the reference is the corrected answer of a demonstration, else the recorded one. */
export function itemFromCapture(captured: CapturedRequest): DatasetItem | undefined {
  if (!captured.request) return undefined;
  const { native: _native, ...request } = captured.request;
  return {
    id: captured.requestId,
    request,
    reference: captured.demonstration ?? captured.answer,
    sourceRequestId: captured.requestId,
    metadata: metadataOf(captured),
  };
}

/**
 * Every captured request the filter matches that has its bodies, newest first as the reader gives them. None at all is
 * a 400 naming `filter`: an empty dataset is never made.
 */
export async function collectCaptureItems(reader: CaptureReader, filter: CaptureFilter, param = 'filter'): Promise<DatasetItem[]> {
  const items: DatasetItem[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await reader.list({ ...filter, withBodies: true }, { limit: pageSize, ...(cursor === undefined ? {} : { cursor }) });
    for (const captured of page.items) {
      const item = itemFromCapture(captured);
      if (!item || seen.has(item.id)) continue;
      seen.add(item.id);
      items.push(item);
      if (items.length > maxCaptureItems) {
        throw new GatewayError('invalid_request', `The filter matches more than ${maxCaptureItems} captured requests; narrow it (from, to, model, route, tags).`, { param });
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  if (items.length === 0) throw new GatewayError('invalid_request', 'The filter matches no captured request with bodies; a dataset needs at least one item.', { param });
  return items;
}
