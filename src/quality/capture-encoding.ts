import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { ChatRequest, Message } from '../core/canonical.js';
import { redactMessages } from '../routing/privacy/redact-messages.js';
import type { CaptureRow } from '../store/quality-store.js';
import type { CapturePolicy } from './capture-config.js';
import type { CapturedAnswer } from './captured-request.js';

const compress = promisify(gzip);
const decompress = promisify(gunzip);

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

async function body(value: unknown, maxBytes: number): Promise<{ data: Buffer | null; bytes: number; truncated: boolean }> {
  const json = Buffer.from(JSON.stringify(value), 'utf8');
  if (json.length > maxBytes) return { data: null, bytes: json.length, truncated: true };
  return { data: await compress(json), bytes: json.length, truncated: false };
}

/** Redacts, serialises and compresses one capture into its stored row. */
export async function encodeCapture(pending: PendingCapture, maxBodyBytes: number): Promise<CaptureRow> {
  const { policy } = pending;
  const row: CaptureRow = {
    requestId: pending.requestId, createdAt: pending.createdAt, expiresAt: pending.createdAt + Math.round(policy.retentionDays * dayMs),
    redacted: policy.bodies && policy.redact, request: null, answer: null, requestBytes: null, answerBytes: null, requestTruncated: false, answerTruncated: false,
  };
  if (!policy.bodies) return row;
  const request = await body(storedRequest(pending.request, policy.redact), maxBodyBytes);
  row.request = request.data;
  row.requestBytes = request.bytes;
  row.requestTruncated = request.truncated;
  if (pending.answer) {
    const answer = await body(storedAnswer(pending.answer, policy.redact), maxBodyBytes);
    row.answer = answer.data;
    row.answerBytes = answer.bytes;
    row.answerTruncated = answer.truncated;
  }
  return row;
}

/** A stored body back as its value; null when it was not stored. */
export async function decodeBody<T>(data: Buffer | null): Promise<T | null> {
  if (!data) return null;
  return JSON.parse((await decompress(data)).toString('utf8')) as T;
}
