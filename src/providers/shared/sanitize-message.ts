const keyLike = /\b(?:sk|pk|rk|key|api|tok|token|secret)[-_][A-Za-z0-9_\-*.]{6,}|\b[A-Za-z0-9_\-]{32,}\b/gi;

/**
 * Makes a provider's error message safe to show a client: the configured credential (and anything shaped like a key)
 * is removed, and the length is bounded.
 */
export function sanitizeUpstreamMessage(message: string, apiKey?: string): string {
  let text = message;
  if (apiKey && apiKey.length >= 4) text = text.split(apiKey).join('[redacted]');
  return text.replace(keyLike, '[redacted]').slice(0, 500);
}
