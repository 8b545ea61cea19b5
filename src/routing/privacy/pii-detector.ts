/**
 * Finds personal and secret data in prompt text, and replaces it with placeholders, so routing can
 * keep such prompts away from deployments that must not see them. Pure and synchronous: it runs
 * on the request path.
 */
import { PII_PATTERNS, type PiiPattern } from './pii-patterns.js';

export type PiiKind = 'email' | 'phone' | 'payment-card' | 'iban' | 'us-ssn' | 'ip-address' | 'secret';

export interface PiiFinding {
  kind: PiiKind;
  /** Offset of the first character, in UTF-16 code units like `String.prototype.slice`. */
  start: number;
  /** Offset just past the last character. */
  end: number;
}

/** Every kind, in the order kind lists are reported. */
export const PII_KINDS: readonly PiiKind[] = ['email', 'phone', 'payment-card', 'iban', 'us-ssn', 'ip-address', 'secret'];

export const PII_PLACEHOLDERS: Readonly<Record<PiiKind, string>> = {
  email: '[REDACTED_EMAIL]',
  phone: '[REDACTED_PHONE]',
  'payment-card': '[REDACTED_PAYMENT_CARD]',
  iban: '[REDACTED_IBAN]',
  'us-ssn': '[REDACTED_US_SSN]',
  'ip-address': '[REDACTED_IP_ADDRESS]',
  secret: '[REDACTED_SECRET]',
};

/** A finding, or a span a pattern holds without reporting it (see `PiiPattern.holdsRejected`). */
interface Span extends PiiFinding {
  held?: true;
}

function scan(pattern: PiiPattern, text: string): Span[] {
  const { kind, regex, accept, holdsRejected } = pattern;
  const found: Span[] = [];
  regex.lastIndex = 0;
  let match = regex.exec(text);
  while (match !== null) {
    const start = match.index;
    const length = accept === undefined ? match[0].length : accept(match[0]);
    if (length > 0) found.push({ kind, start, end: start + length });
    else if (holdsRejected === true) found.push({ kind, start, end: start + match[0].length, held: true });
    // Resume right after what was kept, so text dropped from a rejected or trimmed match is scanned again.
    regex.lastIndex = start + Math.max(length, 1);
    match = regex.exec(text);
  }
  regex.lastIndex = 0;
  return found;
}

/** Merges sorted `candidates` into sorted `accepted`, dropping each candidate that overlaps a span kept before it. */
function mergeWithoutOverlap(accepted: Span[], candidates: Span[]): Span[] {
  if (candidates.length === 0) return accepted;
  const merged: Span[] = [];
  let next = 0;
  for (const candidate of candidates) {
    let following = accepted[next];
    while (following !== undefined && following.end <= candidate.start) {
      merged.push(following);
      next += 1;
      following = accepted[next];
    }
    const previous = merged[merged.length - 1];
    const clearBefore = previous === undefined || previous.end <= candidate.start;
    const clearAfter = following === undefined || following.start >= candidate.end;
    if (clearBefore && clearAfter) merged.push(candidate);
  }
  for (; next < accepted.length; next += 1) merged.push(accepted[next] as Span);
  return merged;
}

/** Personal and secret data in `text`: sorted by position, never overlapping. */
export function detectPii(text: string): PiiFinding[] {
  let spans: Span[] = [];
  for (const pattern of PII_PATTERNS) spans = mergeWithoutOverlap(spans, scan(pattern, text));
  return spans.filter((span) => span.held !== true);
}

/** `text` with every finding replaced by its kind's placeholder, and the findings (offsets into the original text). */
export function redactPii(text: string): { text: string; findings: PiiFinding[] } {
  const findings = detectPii(text);
  if (findings.length === 0) return { text, findings };
  const pieces: string[] = [];
  let cursor = 0;
  for (const finding of findings) {
    pieces.push(text.slice(cursor, finding.start), PII_PLACEHOLDERS[finding.kind]);
    cursor = finding.end;
  }
  pieces.push(text.slice(cursor));
  return { text: pieces.join(''), findings };
}
