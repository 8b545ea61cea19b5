import type { ServerResponse } from 'node:http';
import { GatewayError } from '../../core/errors.js';
import type { Principal } from '../auth/key-service.js';
import type { Gateway } from '../gateway.js';
import { sendJson } from '../http-body.js';
import type { Json } from '../openai/field-reader.js';
import { ownerOf } from './response-storage.js';

/** OpenAI's list shape for `input_items`: https://platform.openai.com/docs/api-reference/responses/input-items */
export interface ItemPage {
  object: 'list';
  data: Json[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

function limitOf(raw: string | null): number {
  if (raw === null) return 20;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new GatewayError('invalid_request', `limit: expected an integer from 1 to 100, got '${raw}'.`, { param: 'limit' });
  return limit;
}

function cursorIndex(items: Json[], id: string | null, param: string): number | undefined {
  if (id === null) return undefined;
  const index = items.findIndex((item) => item.id === id);
  if (index === -1) throw new GatewayError('invalid_request', `${param}: no input item with id '${id}' in this response.`, { param });
  return index;
}

/** One page of items: `order` desc (the default) lists the last item first; `after` and `before` are item ids. */
export function pageOfItems(items: Json[], query: URLSearchParams): ItemPage {
  const order = query.get('order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw new GatewayError('invalid_request', `order: expected asc or desc, got '${order}'.`, { param: 'order' });
  const limit = limitOf(query.get('limit'));
  const ordered = order === 'asc' ? items : [...items].reverse();
  const after = cursorIndex(ordered, query.get('after'), 'after');
  const before = cursorIndex(ordered, query.get('before'), 'before');
  const window = ordered.slice(after === undefined ? 0 : after + 1, before ?? ordered.length);
  // With only `before`, the page is the one right before the cursor.
  const data = before !== undefined && after === undefined ? window.slice(-limit) : window.slice(0, limit);
  const firstId = data[0]?.id;
  const lastId = data.at(-1)?.id;
  return {
    object: 'list', data,
    first_id: typeof firstId === 'string' ? firstId : null,
    last_id: typeof lastId === 'string' ? lastId : null,
    has_more: window.length > data.length,
  };
}

function pathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new GatewayError('invalid_request', `The path segment '${segment}' is not valid percent-encoding.`);
  }
}

/**
 * `GET /v1/responses/{id}`, `DELETE /v1/responses/{id}` and `GET /v1/responses/{id}/input_items`, for the key that
 * made the response or a key of its team; any other caller gets the 404 of an unknown id.
 */
export async function handleStoredResponse(gateway: Gateway, request: { method: string | undefined; url: URL }, response: ServerResponse, principal: Principal): Promise<void> {
  const [id, sub, ...rest] = request.url.pathname.slice('/v1/responses/'.length).split('/').map(pathSegment);
  const owner = ownerOf(principal);
  if (id && sub === undefined && request.method === 'GET') {
    sendJson(response, 200, (await gateway.responses.get(id, owner)).response);
    return;
  }
  if (id && sub === undefined && request.method === 'DELETE') {
    await gateway.responses.delete(id, owner);
    sendJson(response, 200, { id, object: 'response', deleted: true });
    return;
  }
  if (id && sub === 'input_items' && rest.length === 0 && request.method === 'GET') {
    const stored = await gateway.responses.get(id, owner);
    sendJson(response, 200, pageOfItems(stored.inputItems as Json[], request.url.searchParams));
    return;
  }
  throw new GatewayError('not_found', `No endpoint ${request.method ?? ''} ${request.url.pathname}. Stored responses answer GET and DELETE /v1/responses/{id} and GET /v1/responses/{id}/input_items.`);
}
