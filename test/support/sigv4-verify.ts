import { createHmac } from 'node:crypto';
import type { ReceivedRequest } from '../simulators/loopback-server.js';
import { canonicalRequest, sha256Hex, signingKey } from '../../src/providers/bedrock/sigv4.js';

const authorizationPattern = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/;

export interface VerifiedSignature {
  accessKeyId: string;
  region: string;
  sessionToken: string | undefined;
}

/** Recomputes a received request's SigV4 signature with the secret the test knows; throws when it differs. */
export function verifySigV4(received: ReceivedRequest, secretAccessKey: string): VerifiedSignature {
  const header = (name: string): string => {
    const value = received.headers[name];
    if (typeof value !== 'string') throw new Error(`missing header ${name}`);
    return value;
  };
  const match = authorizationPattern.exec(header('authorization'));
  if (!match) throw new Error(`not a SigV4 authorization: ${header('authorization')}`);
  const [, accessKeyId = '', day = '', region = '', service = '', signedList = '', signature = ''] = match;
  const body = JSON.stringify(received.body);
  const payloadHash = header('x-amz-content-sha256');
  if (sha256Hex(body) !== payloadHash) throw new Error('x-amz-content-sha256 does not match the body');
  const signed: Record<string, string> = {};
  for (const name of signedList.split(';')) signed[name] = header(name);
  const url = new URL(received.path, `http://${header('host')}`);
  const timestamp = header('x-amz-date');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', timestamp, scope, sha256Hex(canonicalRequest('POST', url, signed, payloadHash))].join('\n');
  const expected = createHmac('sha256', signingKey(secretAccessKey, day, region, service)).update(stringToSign, 'utf8').digest('hex');
  if (expected !== signature) throw new Error(`signature mismatch for ${accessKeyId}`);
  const token = received.headers['x-amz-security-token'];
  if (token !== undefined && !signedList.split(';').includes('x-amz-security-token')) throw new Error('x-amz-security-token is not signed');
  return { accessKeyId, region, sessionToken: typeof token === 'string' ? token : undefined };
}
