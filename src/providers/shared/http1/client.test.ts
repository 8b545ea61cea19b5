import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { connect as connectTcp, createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { UpstreamRequest } from '../../../core/provider.js';
import { closeHttp1Pools, sendHttp1 } from './client.js';
import type { ResponseHeaders } from './response-parser.js';

const timeouts: { connectMs: number; firstByteMs: number; totalMs?: number } = { connectMs: 2_000, firstByteMs: 2_000 };

interface Answer {
  status: number;
  headers: ResponseHeaders;
  body: string;
}

function send(request: UpstreamRequest, options: { timeouts?: typeof timeouts; pauseEvery?: number } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let status = 0;
    let headers: ResponseHeaders = {};
    const chunks: Buffer[] = [];
    const exchange = sendHttp1(request, options.timeouts ?? timeouts, {
      onHeaders(code, head) {
        status = code;
        headers = head;
      },
      onData(chunk) {
        chunks.push(chunk);
        if (options.pauseEvery && chunks.length % options.pauseEvery === 0) {
          setTimeout(() => exchange.resume(), 5);
          return false;
        }
        return true;
      },
      onComplete: () => resolve({ status, headers, body: Buffer.concat(chunks).toString('utf8') }),
      onError: reject,
    });
  });
}

async function listen<T extends Server | TcpServer>(server: T): Promise<{ server: T; port: number }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { server, port: (server.address() as AddressInfo).port };
}

const post = (port: number, path: string, body: string, headers: Record<string, string> = {}): UpstreamRequest => ({ url: `http://127.0.0.1:${port}${path}`, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

after(() => closeHttp1Pools());

/** GETs a URL from a child process started with extra environment (trusted CAs and proxies are read at start). */
function getInChild(url: string, env: Record<string, string>): Promise<string> {
  const client = fileURLToPath(new URL('./client.js', import.meta.url));
  const script = `import { sendHttp1, closeHttp1Pools } from ${JSON.stringify(client)};
    sendHttp1({ url: ${JSON.stringify(url)}, method: 'GET', headers: {}, body: '' }, { connectMs: 2000, firstByteMs: 2000 }, {
      onHeaders(status) { process.stdout.write(status + ' '); }, onData(chunk) { process.stdout.write(chunk); return true; },
      onComplete() { closeHttp1Pools(); }, onError(error) { process.stdout.write('error ' + error.message); closeHttp1Pools(); } });`;
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...env } }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
  );
}


test('requests reuse one keep-alive connection and arrive exactly as sent', async () => {
  const seen: Array<{ method?: string; url?: string; host?: string; length?: string; body: string; auth?: string; encoding?: string }> = [];
  const sockets = new Set<Socket>();
  const { port } = await listen(
    createHttpServer((request: IncomingMessage, response) => {
      sockets.add(request.socket);
      let body = '';
      request.setEncoding('utf8').on('data', (part: string) => (body += part));
      request.on('end', () => {
        seen.push({ method: request.method, url: request.url, host: request.headers.host, length: request.headers['content-length'], body, auth: request.headers.authorization, encoding: request.headers['accept-encoding'] });
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ n: seen.length }));
      });
    }),
  );
  const body = JSON.stringify({ text: 'héllo – 你好' });
  for (let index = 1; index <= 3; index += 1) {
    const answer = await send(post(port, '/v1/chat/completions?x=1', body, { authorization: 'Bearer sk-test' }));
    assert.equal(answer.status, 200);
    assert.deepEqual(JSON.parse(answer.body), { n: index });
  }
  assert.equal(sockets.size, 1, 'one connection carried all three requests');
  assert.deepEqual(seen[0], { method: 'POST', url: '/v1/chat/completions?x=1', host: `127.0.0.1:${port}`, length: String(Buffer.byteLength(body)), body, auth: 'Bearer sk-test', encoding: 'identity' });
});

test('a connection the server closes while idle leaves the pool, and the next request opens a new one', async () => {
  let connections = 0;
  const server = createHttpServer((_request, response) => response.end('fine'));
  server.keepAliveTimeout = 100;
  server.on('connection', () => (connections += 1));
  const { port } = await listen(server);
  assert.equal((await send(post(port, '/', '{}'))).body, 'fine');
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal((await send(post(port, '/', '{}'))).body, 'fine');
  assert.equal(connections, 2);
});

test('a chunked stream arrives whole when the reader pauses and resumes it', async () => {
  const parts = Array.from({ length: 200 }, (_, index) => `data: {"i":${index},"pad":"${'x'.repeat(500)}"}\n\n`);
  const { port } = await listen(
    createHttpServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      let index = 0;
      const next = () => {
        while (index < parts.length) {
          if (!response.write(parts[index++])) return response.once('drain', next);
        }
        response.end('data: [DONE]\n\n');
      };
      next();
    }),
  );
  const answer = await send(post(port, '/stream', '{}'), { pauseEvery: 7 });
  assert.equal(answer.headers['transfer-encoding'], 'chunked');
  assert.equal(answer.body, `${parts.join('')}data: [DONE]\n\n`);
});

/** A raw server: `onRequest` gets the socket and how many requests that socket has carried. */
async function rawServer(onRequest: (socket: Socket, count: number) => void): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  const { port } = await listen(
    createTcpServer((socket) => {
      connections += 1;
      let count = 0;
      socket.on('data', (data) => {
        if (!data.includes('\r\n\r\n')) return;
        count += 1;
        onRequest(socket, count);
      });
      socket.on('error', () => {});
    }),
  );
  return { port, connections: () => connections };
}

const ok = 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok';

test('a reused connection the server dropped while idle is retried once on a new connection', async () => {
  const server = await rawServer((socket, count) => {
    if (count === 1) socket.write(ok);
    else socket.destroy(); // the second request on a connection finds it gone
  });
  assert.equal((await send(post(server.port, '/', '{}'))).body, 'ok');
  assert.equal((await send(post(server.port, '/', '{}'))).body, 'ok');
  assert.equal(server.connections(), 2);
});

test('a reused connection that closes well after the request was sent is an error, never a silent second send', async () => {
  let requests = 0;
  const server = await rawServer((socket, count) => {
    requests += 1;
    if (count === 1) socket.write(ok);
    else setTimeout(() => socket.destroy(), 150); // read, worked on, then dropped: it may have acted on it
  });
  assert.equal((await send(post(server.port, '/', '{}'))).body, 'ok');
  await assert.rejects(send(post(server.port, '/', '{}')), (error: { code?: string }) => error.code === 'UPSTREAM_CLOSED' || error.code === 'ECONNRESET');
  assert.equal(requests, 2, 'the request reached the server once');
});

test('a reader that pauses longer than the silence timeout does not time the upstream out', async () => {
  const { port } = await listen(
    createHttpServer((_request, response) => {
      response.write('first ');
      setTimeout(() => response.end('second'), 50);
    }),
  );
  const answer = await new Promise<string>((resolve, reject) => {
    let text = '';
    const exchange = sendHttp1(post(port, '/', '{}'), { connectMs: 1_000, firstByteMs: 100 }, {
      onHeaders() {},
      onData(chunk) {
        text += chunk.toString();
        if (text === 'first ') {
          setTimeout(() => exchange.resume(), 400);
          return false;
        }
        return true;
      },
      onComplete: () => resolve(text),
      onError: reject,
    });
  });
  assert.equal(answer, 'first second');
});

test('the total deadline ends an answer that keeps trickling', async () => {
  const server = await rawServer((socket) => {
    socket.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n');
    const drip = setInterval(() => socket.write('1\r\nx\r\n'), 20);
    socket.on('close', () => clearInterval(drip));
  });
  await assert.rejects(send(post(server.port, '/', '{}'), { timeouts: { connectMs: 1_000, firstByteMs: 1_000, totalMs: 200 } }), (error: { code?: string }) => error.code === 'UPSTREAM_TOTAL_TIMEOUT');
});

test('a new connection reset before any answer is an error, not a retry', async () => {
  const server = await rawServer((socket) => socket.destroy());
  await assert.rejects(send(post(server.port, '/', '{}')), (error: { code?: string }) => error.code === 'UPSTREAM_CLOSED' || error.code === 'ECONNRESET');
  assert.equal(server.connections(), 1);
});

test('an answer cut off in the middle of its body is an error', async () => {
  const server = await rawServer((socket) => {
    socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npartial');
    setTimeout(() => socket.destroy(), 20);
  });
  await assert.rejects(send(post(server.port, '/', '{}')), (error: { code?: string }) => error.code === 'UPSTREAM_CLOSED');
});

test('an answer framed by the end of the connection is read to that end', async () => {
  const server = await rawServer((socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nall of it'));
  assert.equal((await send(post(server.port, '/', '{}'))).body, 'all of it');
});

test('silence before the head and in the middle of the body are two different timeouts', async () => {
  const silent = await rawServer(() => {});
  const short = { connectMs: 1_000, firstByteMs: 100 };
  await assert.rejects(send(post(silent.port, '/', '{}'), { timeouts: short }), (error: { code?: string }) => error.code === 'UPSTREAM_HEADERS_TIMEOUT');
  const stalls = await rawServer((socket) => socket.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n'));
  await assert.rejects(send(post(stalls.port, '/', '{}'), { timeouts: short }), (error: { code?: string }) => error.code === 'UPSTREAM_BODY_TIMEOUT');
});

test('a malformed answer, a refused connection and an unsafe header value each fail with their own code', async () => {
  const garbage = await rawServer((socket) => socket.write('NOT HTTP AT ALL\r\n\r\n'));
  await assert.rejects(send(post(garbage.port, '/', '{}')), (error: { code?: string }) => error.code === 'UPSTREAM_BAD_RESPONSE');
  const closed = await rawServer(() => {});
  const port = closed.port;
  await new Promise<void>((resolve) => setTimeout(resolve, 1));
  await assert.rejects(send(post(1, '/', '{}')), (error: { code?: string }) => error.code === 'ECONNREFUSED');
  await assert.rejects(send(post(port, '/', '{}', { 'x-bad': 'a\r\nx-injected: 1' })), (error: { code?: string }) => error.code === 'UPSTREAM_BAD_HEADER');
});

test('aborting an exchange closes its connection and reports the reason', async () => {
  let closedAtServer = false;
  const server = await rawServer((socket) => {
    socket.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nfirst\r\n');
    socket.on('close', () => (closedAtServer = true));
  });
  const reason = new Error('client went away');
  const failed = await new Promise<Error>((resolve) => {
    const exchange = sendHttp1(post(server.port, '/', '{}'), timeouts, {
      onHeaders() {},
      onData() {
        exchange.abort(reason);
        return true;
      },
      onComplete: () => resolve(new Error('completed')),
      onError: resolve,
    });
  });
  assert.equal(failed, reason);
  for (let wait = 0; wait < 100 && !closedAtServer; wait += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(closedAtServer, 'the server saw the connection close');
});

test('an abort signal cancels an exchange in flight, and one already aborted never connects', async () => {
  const server = await rawServer((socket) => socket.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nfirst\r\n'));
  const controller = new AbortController();
  const failed = await new Promise<Error>((resolve) => {
    sendHttp1(post(server.port, '/', '{}'), timeouts, { onHeaders() {}, onData: () => (controller.abort(), true), onComplete: () => resolve(new Error('completed')), onError: resolve }, controller.signal);
  });
  assert.equal(failed.name, 'AbortError');
  const before = server.connections();
  const early = await new Promise<Error>((resolve) => {
    sendHttp1(post(server.port, '/', '{}'), timeouts, { onHeaders() {}, onData: () => true, onComplete: () => resolve(new Error('completed')), onError: resolve }, AbortSignal.abort());
  });
  assert.equal(early.name, 'AbortError');
  assert.equal(server.connections(), before);
});

test('https works against a server whose certificate the process trusts, and refuses one it does not', async () => {
  const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../../../../src/providers/shared/http1/__fixtures__/${name}`, import.meta.url)));
  const { port } = await listen(createTlsServer({ key: fixture('localhost-key.pem'), cert: fixture('localhost-cert.pem') }, (_request, response) => response.end('secure')));
  await assert.rejects(send({ url: `https://localhost:${port}/`, method: 'GET', headers: {}, body: '' }), /self-signed|self signed|unable to verify/);
  // Trusting a private CA is done the Node way, with NODE_EXTRA_CA_CERTS at start; a child process shows it works.
  const output = await getInChild(`https://localhost:${port}/a`, { NODE_EXTRA_CA_CERTS: fileURLToPath(new URL('../../../../../src/providers/shared/http1/__fixtures__/localhost-cert.pem', import.meta.url)) });
  assert.equal(output, '200 secure');
});

/** A small egress proxy: forwards absolute-form http requests and tunnels CONNECT, logging what it was asked. */
async function startProxy(options: { refuse?: number } = {}) {
  const asked: Array<{ method: string | undefined; url: string | undefined; authorization: string | undefined }> = [];
  const proxy = createHttpServer((request, response) => {
    asked.push({ method: request.method, url: request.url, authorization: request.headers['proxy-authorization'] });
    const target = new URL(request.url ?? '');
    const headers = { ...request.headers };
    delete headers['proxy-authorization'];
    const forwarded = httpRequest({ host: '127.0.0.1', port: target.port, path: target.pathname + target.search, method: request.method, headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    request.pipe(forwarded);
  });
  proxy.on('connect', (request: IncomingMessage, client: Socket) => {
    asked.push({ method: 'CONNECT', url: request.url, authorization: request.headers['proxy-authorization'] });
    if (options.refuse) {
      client.end(`HTTP/1.1 ${options.refuse} Proxy Authentication Required\r\n\r\n`);
      return;
    }
    // Every host is this machine: the tests name hosts that only the proxy resolves.
    const port = Number((request.url ?? '').split(':').pop());
    const upstream = connectTcp({ host: '127.0.0.1', port }, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const { port } = await listen(proxy);
  return { port, asked };
}

test('plain http goes through HTTP_PROXY in absolute form, with the proxy credentials only to the proxy', async () => {
  const { port: targetPort } = await listen(createHttpServer((request, response) => response.end(`${request.url} ${request.headers['proxy-authorization'] ?? 'no proxy credentials'}`)));
  const proxy = await startProxy();
  process.env.HTTP_PROXY = `http://gateway:s3cret@127.0.0.1:${proxy.port}`;
  try {
    const answer = await send({ ...post(targetPort, '/v1/chat/completions', '{}'), url: `http://upstream.test:${targetPort}/v1/chat/completions` });
    assert.equal(answer.body, '/v1/chat/completions no proxy credentials');
    assert.deepEqual(proxy.asked, [{ method: 'POST', url: `http://upstream.test:${targetPort}/v1/chat/completions`, authorization: `Basic ${Buffer.from('gateway:s3cret').toString('base64')}` }]);
    assert.equal((await send(post(targetPort, '/direct', '{}'))).body, '/direct no proxy credentials');
    assert.equal(proxy.asked.length, 1, 'loopback is never proxied');
  } finally {
    delete process.env.HTTP_PROXY;
  }
});

test('https goes through a CONNECT tunnel of HTTPS_PROXY, and a refused tunnel is an error that says so', async () => {
  const fixture = (name: string) => fileURLToPath(new URL(`../../../../../src/providers/shared/http1/__fixtures__/${name}`, import.meta.url));
  const { port } = await listen(createTlsServer({ key: readFileSync(fixture('localhost-key.pem')), cert: readFileSync(fixture('localhost-cert.pem')) }, (_request, response) => response.end('tunnelled')));
  const proxy = await startProxy();
  const env = { NODE_EXTRA_CA_CERTS: fixture('localhost-cert.pem'), HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`, NO_PROXY: 'example.org' };
  const output = await getInChild(`https://upstream.test:${port}/a`, env);
  assert.equal(output, '200 tunnelled');
  assert.deepEqual(proxy.asked, [{ method: 'CONNECT', url: `upstream.test:${port}`, authorization: undefined }]);
  // An IP origin has no server name: its certificate is checked against its address, never the proxy's (127.0.0.1, which it covers).
  assert.match(await getInChild(`https://10.255.255.1:${port}/a`, env), /^error .*(does not match|altnames)/i);

  const refusing = await startProxy({ refuse: 407 });
  process.env.HTTPS_PROXY = `http://127.0.0.1:${refusing.port}`;
  try {
    await assert.rejects(send({ url: `https://upstream.test:${port}/b`, method: 'GET', headers: {}, body: '' }), (error: { code?: string; message?: string }) => error.code === 'UPSTREAM_PROXY_REFUSED' && /HTTP 407/.test(error.message ?? ''));
  } finally {
    delete process.env.HTTPS_PROXY;
  }
});
