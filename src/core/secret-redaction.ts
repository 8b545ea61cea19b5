/**
 * The credentials this process holds, and the shapes of credentials it may see, removed from any text that leaves it
 * (error messages, log lines). Provider adapters already trim what they quote of an upstream error; this is the one
 * place that also knows the configured values, so an upstream that echoes a request back cannot leak them.
 */

const minimumLength = 8;
const replacement = '[redacted]';

/**
 * Shapes of credentials: Switchyard keys, OpenAI/Anthropic-style `sk-` keys, AWS access key ids, Google API keys and
 * OAuth tokens, JSON Web Tokens (Entra ID, workload identity), and whatever follows `Bearer` or an api-key header name.
 */
const credentialShapes = [
  /\bsy-[A-Za-z0-9_-]{16,}/g,
  /\bsk-[A-Za-z0-9_-]{16,}/g,
  /\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b/g,
  /\bAIza[0-9A-Za-z_-]{20,}/g,
  /\bya29\.[0-9A-Za-z._-]+/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
];

/** A scheme or a header name, then its credential (a token with a digit in it): the name stays, the credential goes. */
const labelledCredentials = [
  /\b(Bearer|Basic)(\s+)(?=[A-Za-z0-9._~+/=-]*\d)[A-Za-z0-9._~+/=-]{8,}/gi,
  /\b((?:x-)?api[-_]?key|x-goog-api-key|authorization|x-amz-security-token)(["']?\s*[:=]\s*["']?)(?=[^\s"';,&]*\d)[^\s"';,&]{8,}/gi,
];

const known = new Set<string>();
let knownPattern: RegExp | undefined;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether a value can be a credential: long enough, one token, and of at least two kinds of character. A short or
 * plain word ("environment", "default") would mangle ordinary text wherever it appears.
 */
function credentialLike(value: string): boolean {
  if (value.length < minimumLength || /\s/.test(value)) return false;
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((kind) => kind.test(value)).length;
  return kinds >= 2;
}

/** Adds values to redact wherever they appear; values that cannot be credentials are ignored. */
export function registerSecrets(values: Iterable<string | undefined>): void {
  let added = false;
  for (const value of values) {
    if (value === undefined || !credentialLike(value)) continue;
    for (const form of new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)])) {
      if (!known.has(form)) {
        known.add(form);
        added = true;
      }
    }
  }
  if (!added) return;
  // Longest first, so a secret that contains another is removed whole.
  knownPattern = new RegExp([...known].sort((left, right) => right.length - left.length).map(escape).join('|'), 'g');
}

/** Environment variables whose names say they hold a credential (`OPENAI_API_KEY`, `AWS_SESSION_TOKEN`, ...). */
export function secretEnvValues(env: Record<string, string | undefined>): string[] {
  return Object.entries(env)
    .filter(([name]) => /KEY|SECRET|TOKEN|PASSWORD|CREDENTIAL/i.test(name) && !/^(npm_|SWITCHYARD_LOG)/i.test(name))
    .map(([, value]) => value)
    .filter((value): value is string => value !== undefined);
}

const secretFieldName = /^(api[-_]?key|access[-_]?key[-_]?id|headers|webhookUrl)$|secret|password|credential|token$/i;

/** The password of a connection URL (`postgres://user:password@host/db`, `redis://:password@host`). */
function urlPassword(text: string): string | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return undefined;
  try {
    const password = new URL(text).password;
    return password === '' ? undefined : decodeURIComponent(password);
  } catch {
    return undefined;
  }
}

/**
 * Credentials in a configuration tree: strings under field names that hold them (`apiKey`, `secretAccessKey`,
 * `sessionToken`, provider `headers`, a webhook URL), and the passwords of connection URLs (`storage`, `redis`).
 */
export function secretConfigValues(value: unknown, underSecret = false, found: string[] = []): string[] {
  if (typeof value === 'string') {
    if (underSecret) found.push(value);
    const password = urlPassword(value);
    if (password !== undefined) found.push(password);
  } else if (Array.isArray(value)) {
    for (const item of value) secretConfigValues(item, underSecret, found);
  } else if (value !== null && typeof value === 'object') {
    for (const [name, item] of Object.entries(value)) secretConfigValues(item, underSecret || secretFieldName.test(name), found);
  }
  return found;
}

/** The text with every registered secret and every credential-shaped string replaced. */
export function redactSecrets(text: string): string {
  let result = knownPattern ? text.replace(knownPattern, replacement) : text;
  for (const shape of credentialShapes) result = result.replace(shape, replacement);
  for (const shape of labelledCredentials) result = result.replace(shape, `$1$2${replacement}`);
  return result;
}
