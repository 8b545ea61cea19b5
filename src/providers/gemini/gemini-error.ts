import { codeForUpstreamStatus, GatewayError, parseRetryAfter, type ErrorCode } from '../../core/errors.js';
import type { ErrorContext } from '../../core/provider.js';
import { asArray, asRecord, asString, isRecord, type JsonRecord } from '../shared/json-read.js';

export interface GeminiErrorSource {
  /** `Gemini` or `Vertex AI`, for messages. */
  label: string;
  /** The provider's name in config. */
  provider: string;
  /** The credential in use, redacted from anything echoed. */
  secret?: string;
}

interface GoogleErrorEnvelope {
  status: string | undefined;
  message: string | undefined;
  reasons: string[];
  retryDelayMs: number | undefined;
}

/** Reads Google's error envelope (https://cloud.google.com/apis/design/errors), also in the array form some streams use. */
function readEnvelope(body: string): GoogleErrorEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const error = asRecord(asRecord(Array.isArray(parsed) ? parsed[0] : parsed).error);
  const details = asArray(error.details).filter(isRecord);
  return {
    status: asString(error.status),
    message: asString(error.message),
    reasons: details.flatMap((detail) => asString(detail.reason) ?? []),
    retryDelayMs: retryDelayFrom(details),
  };
}

/** RetryInfo carries a protobuf Duration, which JSON writes as seconds with an `s` suffix ("34.4s"). */
function retryDelayFrom(details: JsonRecord[]): number | undefined {
  const delay = details.map((detail) => asString(detail.retryDelay)).find((value) => value !== undefined);
  if (delay === undefined || !delay.endsWith('s')) return undefined;
  const seconds = Number(delay.slice(0, -1));
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
}

const contextLengthPattern = /token count.*exceeds|exceeds the maximum number of tokens|context length/i;

function codeFor(status: number, envelope: GoogleErrorEnvelope): ErrorCode {
  if (envelope.reasons.includes('API_KEY_INVALID') || envelope.status === 'UNAUTHENTICATED') return 'upstream_authentication_failed';
  switch (envelope.status) {
    case 'INVALID_ARGUMENT':
      return envelope.message !== undefined && contextLengthPattern.test(envelope.message) ? 'context_length_exceeded' : 'invalid_request';
    case 'PERMISSION_DENIED':
    case 'FAILED_PRECONDITION':
      return 'permission_denied';
    case 'NOT_FOUND':
      return 'model_not_found';
    case 'RESOURCE_EXHAUSTED':
      return 'rate_limited';
    case 'INTERNAL':
      return 'upstream_error';
    case 'UNAVAILABLE':
      return 'upstream_unavailable';
    case 'DEADLINE_EXCEEDED':
      return 'upstream_timeout';
    default:
      return codeForUpstreamStatus(status);
  }
}

/** Keeps Google's message readable but bounded, and strips anything that looks like a Google credential. */
function sanitize(message: string, secret: string | undefined): string {
  let text = secret !== undefined && secret.length >= 8 ? message.split(secret).join('[redacted]') : message;
  text = text.replace(/AIza[0-9A-Za-z_-]{20,}|ya29\.[0-9A-Za-z._-]+/g, '[redacted]');
  return text.slice(0, 500);
}

/** Messages the client may read: upstream detail only where it helps fix the request, never for credential problems. */
function messageFor(code: ErrorCode, status: number, envelope: GoogleErrorEnvelope, source: GeminiErrorSource): string {
  const who = `${source.label} provider "${source.provider}"`;
  const detail = envelope.message === undefined ? '' : `: ${sanitize(envelope.message, source.secret)}`;
  switch (code) {
    case 'upstream_authentication_failed':
      return `${who} rejected the gateway's credentials (HTTP ${status}). Check the provider's credentials in the Switchyard configuration.`;
    case 'permission_denied':
      return `${who} denied access with the configured credentials (HTTP ${status}).`;
    case 'rate_limited':
      return `${who} is rate limiting requests (HTTP ${status}).`;
    case 'invalid_request':
    case 'context_length_exceeded':
    case 'model_not_found':
      return `${who} rejected the request (HTTP ${status})${detail}`;
    default:
      return `${who} failed (HTTP ${status}${envelope.status === undefined ? '' : ` ${envelope.status}`}).`;
  }
}

export function classifyGeminiError(context: ErrorContext, source: GeminiErrorSource): GatewayError {
  const envelope = readEnvelope(context.body);
  const code = codeFor(context.status, envelope);
  const options: { upstreamStatus: number; provider: string; retryAfterMs?: number; retryable?: boolean } = {
    upstreamStatus: context.status,
    provider: source.provider,
  };
  const retryAfterMs = parseRetryAfter(context.headers['retry-after']) ?? envelope.retryDelayMs;
  if (retryAfterMs !== undefined) options.retryAfterMs = retryAfterMs;
  // Billing or region preconditions belong to this account; another target may still serve the request.
  if (envelope.status === 'FAILED_PRECONDITION') options.retryable = true;
  return new GatewayError(code, messageFor(code, context.status, envelope, source), options);
}
