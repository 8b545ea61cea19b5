import type { ChatRequest, Message } from '../core/canonical.js';
import { redactMessages } from '../routing/privacy/redact-messages.js';
import type { CaptureRow } from '../store/quality-store.js';
import type { CapturePolicy } from './capture-config.js';
import type { CapturedAnswer } from './captured-request.js';

const dayMs = 86_400_000;

/** What the request path hands over: references only, everything costly happens in the writer. */
export interface PendingCapture {
  requestId: string;
  createdAt: number;
  policy: CapturePolicy;
  request: ChatRequest;
  answer: CapturedAnswer | null;
}

/** The request as stored: never its native body, and redacted when the policy says so. */
export function storedRequest(request: ChatRequest, redact: boolean): ChatRequest {
  const { native: _native, ...rest } = request;
  return redact ? { ...rest, messages: redactMessages(request.messages).messages } : rest;
}

export function storedAnswer(answer: CapturedAnswer, redact: boolean): CapturedAnswer {
  if (!redact) return answer;
  // The answer is redacted as the assistant message it would become in the next turn.
  const message: Message = { role: 'assistant', content: [{ type: 'text', text: answer.text }], toolCalls: answer.toolCalls };
  const redacted = redactMessages([message]).messages[0] as Extract<Message, { role: 'assistant' }>;
  return { ...answer, text: redacted.content[0]?.text ?? '', toolCalls: redacted.toolCalls ?? [] };
}

function body(value: unknown, maxBytes: number): { data: string | null; bytes: number; truncated: boolean } {
  const json = JSON.stringify(value);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > maxBytes) return { data: null, bytes, truncated: true };
  return { data: json, bytes, truncated: false };
}

/** Redacts and serialises one capture into its row; the store compresses the bodies. */
export function encodeCapture(pending: PendingCapture, maxBodyBytes: number): CaptureRow {
  const { policy } = pending;
  const row: CaptureRow = {
    requestId: pending.requestId, createdAt: pending.createdAt, expiresAt: pending.createdAt + Math.round(policy.retentionDays * dayMs),
    redacted: policy.bodies && policy.redact, request: null, answer: null, requestBytes: null, answerBytes: null, requestTruncated: false, answerTruncated: false,
  };
  if (!policy.bodies) return row;
  const request = body(storedRequest(pending.request, policy.redact), maxBodyBytes);
  row.request = request.data;
  row.requestBytes = request.bytes;
  row.requestTruncated = request.truncated;
  if (pending.answer) {
    const answer = body(storedAnswer(pending.answer, policy.redact), maxBodyBytes);
    row.answer = answer.data;
    row.answerBytes = answer.bytes;
    row.answerTruncated = answer.truncated;
  }
  return row;
}

/** A stored body back as its value; null when it was not stored. */
export function decodeBody<T>(json: string | null): T | null {
  return json === null ? null : (JSON.parse(json) as T);
}
