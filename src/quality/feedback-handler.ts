import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../core/errors.js';
import { newRequestId } from '../core/request-id.js';
import type { RequestRecord } from '../ledger/ledger-record.js';
import type { Principal } from '../server/auth/key-service.js';
import type { Gateway } from '../server/gateway.js';
import { readJsonBody, sendJson } from '../server/http-body.js';
import type { FeedbackRecord } from '../store/quality-store.js';
import { parseFeedbackInput } from './feedback-input.js';

/** A key may give feedback on its own requests and on those of its team; a key with the admin role on any. */
function mayRate(principal: Principal, record: RequestRecord): boolean {
  if (principal.kind === 'admin' && principal.role === 'admin') return true;
  const key = principal.key;
  if (!key) return false;
  return record.keyId === key.id || (key.team !== null && record.team === key.team);
}

/** `POST /v1/feedback`: stores one metric value on a request the caller may see. */
export async function handleFeedback(gateway: Gateway, http: { request: IncomingMessage; response: ServerResponse }, principal: Principal): Promise<void> {
  const input = parseFeedbackInput(gateway.config, await readJsonBody(http.request, gateway.config.server));
  let record = await gateway.store.ledger.get(input.requestId);
  if (!record) {
    // The request may have been answered a moment ago, its record still queued.
    await gateway.ledger.flush();
    record = await gateway.store.ledger.get(input.requestId);
  }
  // Another key's request reads as missing, so ids cannot be probed.
  if (!record || !mayRate(principal, record)) {
    throw new GatewayError('not_found', `requestId: no request "${input.requestId.slice(0, 80)}" that this key may give feedback on.`, { param: 'requestId' });
  }
  const feedback: FeedbackRecord = { id: newRequestId(), requestId: record.id, metric: input.metric, value: input.value, comment: input.comment, keyId: principal.key?.id ?? (principal.kind === 'admin' ? 'admin' : null), createdAt: Date.now() };
  await gateway.store.feedback.insert(feedback);
  sendJson(http.response, 201, { id: feedback.id, requestId: feedback.requestId, metric: feedback.metric, value: feedback.value, comment: feedback.comment, createdAt: new Date(feedback.createdAt).toISOString() });
}
