import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify, type KeyObject } from 'node:crypto';

export interface GoogleTokenSimulator {
  /** The token endpoint to put in a service-account key's token_uri. */
  tokenUri: string;
  /** Access tokens issued, in order. */
  issued: string[];
  /** Claims of every assertion that verified. */
  claims: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * Google's OAuth 2.0 token endpoint for the JWT bearer grant
 * (https://developers.google.com/identity/protocols/oauth2/service-account#httprest): it checks the RS256 assertion
 * against the service account's public key and its audience, and answers with an access token.
 */
export async function startGoogleTokenSimulator(publicKey: KeyObject, expiresInSeconds: number): Promise<GoogleTokenSimulator> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const simulator: GoogleTokenSimulator = {
    tokenUri: `http://127.0.0.1:${port}/token`,
    issued: [],
    claims: [],
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  server.on('request', (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const [header = '', payload = '', signature = ''] = (form.get('assertion') ?? '').split('.');
      const signed = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'));
      const claims = signed ? (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>) : {};
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' || !signed || claims.aud !== simulator.tokenUri) {
        response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }));
        return;
      }
      simulator.claims.push(claims);
      const token = `ya29.simulated-${simulator.issued.length + 1}`;
      simulator.issued.push(token);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, expires_in: expiresInSeconds, token_type: 'Bearer' }));
    });
  });
  return simulator;
}
