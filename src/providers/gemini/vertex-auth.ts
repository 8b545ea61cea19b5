import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { GatewayError } from '../../core/errors.js';
import { asNumber, asRecord, asString, isRecord } from '../shared/json-read.js';

export const cloudPlatformScope = 'https://www.googleapis.com/auth/cloud-platform';
const defaultTokenUri = 'https://oauth2.googleapis.com/token';
const jwtLifetimeSeconds = 3600;
/** A cached token is replaced this long before Google says it expires. */
const refreshMarginMs = 60_000;

export interface ServiceAccountKey {
  clientEmail: string;
  privateKey: string;
  privateKeyId: string | undefined;
  tokenUri: string;
}

export interface TokenExchangeOptions {
  /** The HTTP client for the token endpoint; tests pass a fake. */
  fetch?: typeof fetch;
  /** Clock in milliseconds. */
  now?: () => number;
  cache?: AccessTokenCache;
}

interface CachedToken {
  accessToken: string;
  expiresAtMs: number;
}

/** Access tokens per service account, shared by concurrent requests so that one exchange serves them all. */
export class AccessTokenCache {
  readonly tokens = new Map<string, CachedToken>();
  readonly pending = new Map<string, Promise<CachedToken>>();
}

const sharedCache = new AccessTokenCache();

function configError(message: string): GatewayError {
  return new GatewayError('upstream_authentication_failed', `Vertex AI: ${message}`);
}

/** Accepts the service-account key file Google issues, as its JSON text or already parsed. */
export function parseServiceAccount(value: unknown): ServiceAccountKey {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw configError('options.serviceAccount is not valid JSON.');
    }
  }
  if (!isRecord(parsed)) throw configError('options.serviceAccount must be a service-account key (JSON text or object).');
  const clientEmail = asString(parsed.client_email);
  const privateKey = asString(parsed.private_key);
  if (clientEmail === undefined || privateKey === undefined) {
    throw configError('options.serviceAccount needs client_email and private_key.');
  }
  return { clientEmail, privateKey, privateKeyId: asString(parsed.private_key_id), tokenUri: asString(parsed.token_uri) ?? defaultTokenUri };
}

function base64Url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

function readPrivateKey(pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (error) {
    throw new GatewayError('upstream_authentication_failed', 'Vertex AI: the service account private_key could not be read.', { cause: error });
  }
}

/** The RS256-signed assertion of the JWT bearer grant (https://developers.google.com/identity/protocols/oauth2/service-account#httprest). */
export function buildServiceAccountJwt(key: ServiceAccountKey, nowMs: number): string {
  const issuedAt = Math.floor(nowMs / 1000);
  const header: Record<string, string> = { alg: 'RS256', typ: 'JWT' };
  if (key.privateKeyId !== undefined) header.kid = key.privateKeyId;
  const claims = { iss: key.clientEmail, scope: cloudPlatformScope, aud: key.tokenUri, iat: issuedAt, exp: issuedAt + jwtLifetimeSeconds };
  const signingInput = `${base64Url(JSON.stringify(header))}.${base64Url(JSON.stringify(claims))}`;
  const signature = sign('RSA-SHA256', Buffer.from(signingInput), readPrivateKey(key.privateKey));
  return `${signingInput}.${base64Url(signature)}`;
}

async function exchange(key: ServiceAccountKey, options: TokenExchangeOptions): Promise<CachedToken> {
  const now = options.now ?? Date.now;
  const fetchFunction = options.fetch ?? fetch;
  const assertion = buildServiceAccountJwt(key, now());
  const body = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString();
  let response: Response;
  try {
    response = await fetchFunction(key.tokenUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new GatewayError('upstream_unavailable', 'Vertex AI: the service-account token endpoint could not be reached.', { cause: error });
  }
  const payload: unknown = await response.json().catch(() => undefined);
  const accessToken = asString(asRecord(payload).access_token);
  if (!response.ok || accessToken === undefined) {
    const reason = asString(asRecord(payload).error);
    const detail = reason !== undefined && /^[a-z_]+$/.test(reason) ? ` (${reason})` : '';
    throw new GatewayError('upstream_authentication_failed', `Vertex AI: the service-account token exchange failed with HTTP ${response.status}${detail}.`, {
      upstreamStatus: response.status,
    });
  }
  const expiresInSeconds = asNumber(asRecord(payload).expires_in) || jwtLifetimeSeconds;
  return { accessToken, expiresAtMs: now() + expiresInSeconds * 1000 };
}

/** An access token for the service account, from the cache until a minute before it expires. */
export async function getVertexAccessToken(key: ServiceAccountKey, options: TokenExchangeOptions = {}): Promise<string> {
  const cache = options.cache ?? sharedCache;
  const now = options.now ?? Date.now;
  const cacheKey = `${key.clientEmail}\n${key.tokenUri}`;
  const cached = cache.tokens.get(cacheKey);
  if (cached && cached.expiresAtMs - refreshMarginMs > now()) return cached.accessToken;
  let pending = cache.pending.get(cacheKey);
  if (!pending) {
    pending = exchange(key, options).finally(() => cache.pending.delete(cacheKey));
    cache.pending.set(cacheKey, pending);
  }
  const token = await pending;
  cache.tokens.set(cacheKey, token);
  return token.accessToken;
}
