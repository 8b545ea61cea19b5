import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface EntraTokenSimulator {
  /** The authority host to configure (https, loopback). */
  authorityHost: string;
  /** PEM file of the simulator's self-signed certificate, for NODE_EXTRA_CA_CERTS. */
  certificateFile: string;
  /** Client-credentials grants received, as form fields. */
  grants: URLSearchParams[];
  issued: string[];
  close(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1, made with the openssl command line. */
function selfSignedCertificate(folder: string): { key: Buffer; cert: Buffer; certificateFile: string } {
  const keyFile = join(folder, 'entra-key.pem');
  const certificateFile = join(folder, 'entra-cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certificateFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { key: readFileSync(keyFile), cert: readFileSync(certificateFile), certificateFile };
}

/**
 * The Microsoft identity platform's v2.0 endpoints a confidential client uses: OpenID discovery and the token
 * endpoint's client-credentials grant (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow).
 */
export async function startEntraTokenSimulator(folder: string, clientSecret: string, expiresInSeconds: number): Promise<EntraTokenSimulator> {
  const { key, cert, certificateFile } = selfSignedCertificate(folder);
  const server: Server = createServer({ key, cert });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const host = `https://127.0.0.1:${port}`;
  const simulator: EntraTokenSimulator = {
    authorityHost: host,
    certificateFile,
    grants: [],
    issued: [],
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  server.on('request', (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = new URL(request.url ?? '/', host).pathname;
      const tenant = path.split('/')[1] ?? 'common';
      const json = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (path.endsWith('/v2.0/.well-known/openid-configuration')) {
        json(200, {
          token_endpoint: `${host}/${tenant}/oauth2/v2.0/token`,
          authorization_endpoint: `${host}/${tenant}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${host}/${tenant}/oauth2/v2.0/logout`,
          device_authorization_endpoint: `${host}/${tenant}/oauth2/v2.0/devicecode`,
          issuer: `${host}/${tenant}/v2.0`,
          jwks_uri: `${host}/${tenant}/discovery/v2.0/keys`,
          response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
          token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        });
        return;
      }
      if (path.endsWith('/oauth2/v2.0/token') && request.method === 'POST') {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        simulator.grants.push(form);
        if (form.get('grant_type') !== 'client_credentials' || form.get('client_secret') !== clientSecret) {
          json(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.', error_codes: [7000215] });
          return;
        }
        const token = `eyJ0eXAiOiJKV1QifQ.simulated-entra-${simulator.issued.length + 1}.sig`;
        simulator.issued.push(token);
        json(200, { token_type: 'Bearer', expires_in: expiresInSeconds, ext_expires_in: expiresInSeconds, access_token: token });
        return;
      }
      json(404, { error: 'not_found' });
    });
  });
  return simulator;
}
