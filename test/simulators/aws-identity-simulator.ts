import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Temporary credentials as an AWS identity endpoint issues them. */
export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export interface IdentityCall {
  path: string;
  method: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface AwsIdentitySimulator {
  url: string;
  calls: IdentityCall[];
  /** Every credential handed out, in order: the nth call gets the nth set. */
  issued: IssuedCredentials[];
  close(): Promise<void>;
}

export interface AwsIdentitySimulatorOptions {
  /** How long each issued credential lives. */
  lifetimeMs: number;
}

function issue(simulator: { issued: IssuedCredentials[] }, lifetimeMs: number, prefix: string): IssuedCredentials {
  const n = simulator.issued.length + 1;
  const credentials = {
    accessKeyId: `${prefix}SIMULATED${String(n).padStart(4, '0')}`,
    secretAccessKey: `simulated-secret-${n}-${Math.random().toString(36).slice(2)}`,
    sessionToken: `simulated-session-token-${n}`,
    expiration: new Date(Date.now() + lifetimeMs),
  };
  simulator.issued.push(credentials);
  return credentials;
}

function xmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** AssumeRoleWithWebIdentity in the query protocol's XML: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html */
function stsAnswer(form: URLSearchParams, credentials: IssuedCredentials): string {
  const role = form.get('RoleArn') ?? '';
  const session = form.get('RoleSessionName') ?? 'session';
  return `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>system:serviceaccount:default:switchyard</SubjectFromWebIdentityToken>
    <Audience>sts.amazonaws.com</Audience>
    <AssumedRoleUser>
      <Arn>${xmlEscape(role.replace(':role/', ':assumed-role/'))}/${xmlEscape(session)}</Arn>
      <AssumedRoleId>AROASIMULATED:${xmlEscape(session)}</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <SessionToken>${credentials.sessionToken}</SessionToken>
      <SecretAccessKey>${credentials.secretAccessKey}</SecretAccessKey>
      <Expiration>${credentials.expiration.toISOString()}</Expiration>
      <AccessKeyId>${credentials.accessKeyId}</AccessKeyId>
    </Credentials>
    <Provider>oidc.eks.us-east-1.amazonaws.com/id/SIMULATED</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>`;
}

/** The ECS / EKS Pod Identity container credentials document, also what IMDS returns per role. */
function containerDocument(credentials: IssuedCredentials): string {
  return JSON.stringify({
    Code: 'Success',
    Type: 'AWS-HMAC',
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    Token: credentials.sessionToken,
    Expiration: credentials.expiration.toISOString(),
    LastUpdated: new Date().toISOString(),
  });
}

const imdsRole = 'switchyard-instance-role';
const imdsToken = 'simulated-imds-session-token';

function answer(request: IncomingMessage, body: string, response: ServerResponse, simulator: AwsIdentitySimulator, lifetimeMs: number): void {
  const path = request.url ?? '';
  if (request.method === 'POST' && new URLSearchParams(body).get('Action') === 'AssumeRoleWithWebIdentity') {
    const form = new URLSearchParams(body);
    if (!form.get('WebIdentityToken') || !form.get('RoleArn')) {
      response.writeHead(400, { 'content-type': 'text/xml' }).end('<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>missing</Message></Error></ErrorResponse>');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/xml' }).end(stsAnswer(form, issue(simulator, lifetimeMs, 'ASIA')));
    return;
  }
  if (path.startsWith('/container-credentials')) {
    response.writeHead(200, { 'content-type': 'application/json' }).end(containerDocument(issue(simulator, lifetimeMs, 'ASIA')));
    return;
  }
  // IMDSv2: a PUT for a session token, then GETs that carry it (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html).
  if (path === '/latest/api/token' && request.method === 'PUT') {
    response.writeHead(200, { 'content-type': 'text/plain' }).end(imdsToken);
    return;
  }
  if (path.startsWith('/latest/meta-data/iam/security-credentials')) {
    if (request.headers['x-aws-ec2-metadata-token'] !== imdsToken) {
      response.writeHead(401).end();
      return;
    }
    const rolePath = path.replace(/^\/latest\/meta-data\/iam\/security-credentials(-extended)?\/?/, '');
    if (rolePath === '') response.writeHead(200, { 'content-type': 'text/plain' }).end(imdsRole);
    else response.writeHead(200, { 'content-type': 'application/json' }).end(containerDocument(issue(simulator, lifetimeMs, 'ASIA')));
    return;
  }
  response.writeHead(404).end();
}

/** STS, the container credentials endpoint and IMDSv2 on one loopback port; each call issues fresh credentials. */
export async function startAwsIdentitySimulator(options: AwsIdentitySimulatorOptions): Promise<AwsIdentitySimulator> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const simulator: AwsIdentitySimulator = {
    url: `http://127.0.0.1:${port}`,
    calls: [],
    issued: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      simulator.calls.push({ path: request.url ?? '', method: request.method ?? '', headers: request.headers, body });
      answer(request, body, response, simulator, options.lifetimeMs);
    });
  });
  return simulator;
}
