import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { GatewayError } from '../../core/errors.js';
import { asNumber, asRecord, asString, isRecord } from '../shared/json-read.js';

export const cloudPlatformScope = 'https://www.googleapis.com/auth/cloud-platform';
const defaultTokenUri = 'https://oauth2.googleapis.com/token';
const jwtLifetimeSeconds = 3600;
/** A cached token is replaced this long before Google says it expires. */
const refreshMarginMs = 5 * 60_000;

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

interface AdcClient {
  getAccessToken(): Promise<string | null | undefined>;
}
let adcClient: Promise<AdcClient> | undefined;
let adcKeyFile: Promise<ServiceAccountKey | undefined> | undefined;

async function readKeyFile(path: string): Promise<ServiceAccountKey | undefined> {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw configError(`GOOGLE_APPLICATION_CREDENTIALS (${path}) could not be read: ${error instanceof Error ? error.message : String(error)}`);
  });
  const parsed: unknown = JSON.parse(text);
  // Service-account keys are signed here, so their token_uri is honoured; every other kind goes to google-auth-library.
  return isRecord(parsed) && parsed.type === 'service_account' ? parseServiceAccount(parsed) : undefined;
}

async function createAdcClient(): Promise<AdcClient> {
  const { importOptional } = await import('../shared/cloud-identity/optional-import.js');
  const library = await importOptional('google-auth-library', 'Vertex AI with Application Default Credentials', () => import('google-auth-library'));
  const auth = new library.GoogleAuth({ scopes: [cloudPlatformScope] });
  const client = await auth.getClient();
  return { getAccessToken: async () => (await client.getAccessToken()).token };
}

/**
 * Application Default Credentials as Google's libraries find them: a service-account key named by
 * GOOGLE_APPLICATION_CREDENTIALS (exchanged here, at its token_uri), else google-auth-library (authorized-user
 * or external-account files, gcloud's default file, the metadata server at GCE_METADATA_HOST), which caches
 * tokens and refreshes them before they expire.
 */
export async function getVertexDefaultAccessToken(options: TokenExchangeOptions = {}): Promise<string> {
  const path = process.env.GOOGLE_APPLICATION_CREDENTIALS;
  if (path !== undefined && path !== '') {
    adcKeyFile ??= readKeyFile(path).catch((error: unknown) => {
      adcKeyFile = undefined;
      throw error;
    });
    const key = await adcKeyFile;
    if (key) return getVertexAccessToken(key, options);
  }
  adcClient ??= createAdcClient().catch((error: unknown) => {
    adcClient = undefined;
    throw error;
  });
  let token: string | null | undefined;
  try {
    token = await (await adcClient).getAccessToken();
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw new GatewayError('upstream_authentication_failed', `Vertex AI: Application Default Credentials found no token: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (!token) throw configError('Application Default Credentials returned no access token.');
  return token;
}

/** Forgets the Application Default Credentials found so far (tests, and environment changes). */
export function resetVertexDefaultCredentials(): void {
  adcClient = undefined;
  adcKeyFile = undefined;
  sharedCache.tokens.clear();
}
