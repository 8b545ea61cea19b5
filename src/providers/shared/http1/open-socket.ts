import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { deniedAddress, outboundPolicy, type UrlSource } from '../outbound/outbound-policy.js';
import type { ProxySettings } from './proxy-settings.js';

export interface Origin {
  secure: boolean;
  host: string;
  port: number;
  /** TLS server name (SNI); empty for an IP address. */
  servername: string;
  /** The egress proxy: a CONNECT tunnel for https origins; for http ones the pool talks to the proxy itself. */
  proxy?: ProxySettings;
  /** Where the URL came from, which decides the addresses it may reach (outbound policy). */
  source: UrlSource;
}

const maxProxyHeadBytes = 16 * 1024;

function failure(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

function authority(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Opens a socket ready to carry HTTP/1.1 to the origin: plain TCP, TLS (with ALPN http/1.1, SNI and session
 * resumption), or either through the egress proxy. Calls `done` once, with the socket or the error.
 */
export function openSocket(origin: Origin, connectMs: number, tls: { session: Buffer | undefined; onSession(session: Buffer): void }, done: (error: Error | undefined, socket?: Socket) => void): void {
  const opened: Socket[] = [];
  let finished = false;
  const deadline = setTimeout(() => fail(failure(`No connection to ${authority(origin.host, origin.port)} within ${connectMs} ms.`, 'UPSTREAM_CONNECT_TIMEOUT')), connectMs);
  function fail(error: Error): void {
    if (finished) return;
    finished = true;
    clearTimeout(deadline);
    for (const socket of opened) socket.destroy();
    done(error);
  }
  function succeed(socket: Socket): void {
    if (finished) return;
    finished = true;
    clearTimeout(deadline);
    for (const each of opened) each.removeListener('error', fail);
    // The tunnel under a TLS socket reports its failures through the TLS socket; this keeps it from throwing.
    for (const each of opened) if (each !== socket) each.on('error', () => {});
    socket.setKeepAlive(true, 60_000);
    done(undefined, socket);
  }
  function track(socket: Socket): Socket {
    opened.push(socket);
    socket.once('error', fail);
    return socket;
  }
  function startTls(over: Socket | undefined): void {
    const socket = track(
      connectTls({
        // The host is given also over a tunnel: the certificate is checked against it, never against the proxy's name.
        ...(over ? { socket: over, host: origin.host } : { host: origin.host, port: origin.port, lookup: outboundPolicy().lookupFor(origin.source) }),
        ALPNProtocols: ['http/1.1'],
        ...(origin.servername ? { servername: origin.servername } : {}),
        ...(tls.session ? { session: tls.session } : {}),
      }),
    );
    socket.on('session', tls.onSession);
    socket.once('secureConnect', () => succeed(socket.setNoDelay(true)));
  }

  const policy = outboundPolicy();
  // Through a proxy only the name or literal can be checked here: the proxy resolves the name, and is the operator's.
  const refused = policy.refuseHost(origin.host, origin.source);
  if (refused !== undefined) {
    queueMicrotask(() => fail(deniedAddress(refused)));
    return;
  }
  const { proxy } = origin;
  if (!proxy) {
    if (origin.secure) startTls(undefined);
    else {
      const socket = track(connectTcp({ host: origin.host, port: origin.port, noDelay: true, lookup: policy.lookupFor(origin.source) }));
      socket.once('connect', () => succeed(socket));
    }
    return;
  }
  const socket = track(connectTcp({ host: proxy.host, port: proxy.port, noDelay: true }));
  if (!origin.secure) {
    socket.once('connect', () => succeed(socket));
    return;
  }
  const target = authority(origin.host, origin.port);
  socket.once('connect', () => socket.write(`CONNECT ${target} HTTP/1.1\r\nhost: ${target}\r\n${proxy.authorization ? `proxy-authorization: ${proxy.authorization}\r\n` : ''}\r\n`));
  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end === -1) {
      if (head.length > maxProxyHeadBytes) fail(failure('The proxy sent an oversized answer to CONNECT.', 'UPSTREAM_PROXY_REFUSED'));
      return;
    }
    socket.removeListener('data', onData);
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(head.toString('latin1', 0, end))?.[1];
    if (status !== '200') {
      fail(failure(`The proxy refused the tunnel to ${target} (${status === undefined ? 'no HTTP answer' : `HTTP ${status}`}).`, 'UPSTREAM_PROXY_REFUSED'));
      return;
    }
    startTls(socket);
  };
  socket.on('data', onData);
}
