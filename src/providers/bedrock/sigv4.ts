import { createHash, createHmac } from 'node:crypto';

/**
 * AWS Signature Version 4 request signing.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignRequestOptions {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  credentials: AwsCredentials;
  region: string;
  service: string;
  date: Date;
  /** Adds and signs `x-amz-content-sha256` (Bedrock accepts it; AWS's generic test suite signs without it). */
  signContentHash?: boolean;
}

export function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** `20150830T123600Z`: ISO 8601 basic format, as x-amz-date wants. */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** RFC 3986 encoding: everything but unreserved characters, which `encodeURIComponent` leaves five too many of. */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Non-S3 services sign each path segment encoded once more than it travels, so `%3A` in the URL is `%253A` here. */
function canonicalPath(pathname: string): string {
  if (pathname === '') return '/';
  return pathname.split('/').map(uriEncode).join('/');
}

function canonicalQuery(search: URLSearchParams): string {
  return [...search.entries()]
    .map(([key, value]) => [uriEncode(key), uriEncode(value)] as const)
    .sort(([keyA, valueA], [keyB, valueB]) => (keyA === keyB ? compare(valueA, valueB) : compare(keyA, keyB)))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Lower-cased, trimmed, inner whitespace collapsed, sorted by name; returns the block and the signed-header list. */
function canonicalHeaders(headers: Record<string, string>): { block: string; signed: string } {
  const entries = Object.entries(headers)
    .map(([name, value]) => [name.toLowerCase(), value.trim().replace(/\s+/g, ' ')] as const)
    .sort(([a], [b]) => compare(a, b));
  return {
    block: entries.map(([name, value]) => `${name}:${value}\n`).join(''),
    signed: entries.map(([name]) => name).join(';'),
  };
}

export function canonicalRequest(method: string, url: URL, headers: Record<string, string>, payloadHash: string): string {
  const { block, signed } = canonicalHeaders(headers);
  return [method, canonicalPath(url.pathname), canonicalQuery(url.searchParams), block, signed, payloadHash].join('\n');
}

export function signingKey(secretAccessKey: string, day: string, region: string, service: string): Buffer {
  const dateKey = hmac(`AWS4${secretAccessKey}`, day);
  return hmac(hmac(hmac(dateKey, region), service), 'aws4_request');
}

/**
 * Returns the request's headers plus `authorization`, `x-amz-date`, `x-amz-content-sha256` and
 * `x-amz-security-token` (with temporary credentials). Unless given, `host` is signed from the URL and not
 * returned: the HTTP client sends the same value from the URL.
 */
export function signRequest(options: SignRequestOptions): Record<string, string> {
  const url = new URL(options.url);
  const timestamp = amzDate(options.date);
  const day = timestamp.slice(0, 8);
  const payloadHash = sha256Hex(options.body);
  const added: Record<string, string> = { 'x-amz-date': timestamp };
  if (options.signContentHash ?? true) added['x-amz-content-sha256'] = payloadHash;
  if (options.credentials.sessionToken) added['x-amz-security-token'] = options.credentials.sessionToken;
  const toSign = { host: url.host, ...lowerCaseKeys(options.headers), ...added };
  const { signed } = canonicalHeaders(toSign);
  const scope = `${day}/${options.region}/${options.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', timestamp, scope, sha256Hex(canonicalRequest(options.method, url, toSign, payloadHash))].join('\n');
  const signature = createHmac('sha256', signingKey(options.credentials.secretAccessKey, day, options.region, options.service))
    .update(stringToSign, 'utf8')
    .digest('hex');
  const authorization = `AWS4-HMAC-SHA256 Credential=${options.credentials.accessKeyId}/${scope}, SignedHeaders=${signed}, Signature=${signature}`;
  return { ...options.headers, ...added, authorization };
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    result[name.toLowerCase()] = value;
  }
  return result;
}
