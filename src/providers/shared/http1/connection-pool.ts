import type { Socket } from 'node:net';
import { openSocket, type Origin } from './open-socket.js';

/** Who currently uses a connection: one exchange at a time, or nobody while it sits idle in its pool. */
export interface ConnectionOwner {
  onData(chunk: Buffer): void;
  onClose(error: Error | undefined): void;
}

/**
 * How long an idle connection is kept when the server does not say (`keep-alive: timeout=N`). A server that closes
 * sooner is noticed when its close arrives, and a request that meets a connection closing at that very moment is
 * retried once on a new one (see Exchange), so a generous time saves TLS handshakes at little risk.
 */
const defaultKeepAliveMs = 30_000;
const maxKeepAliveMs = 600_000;

/** A keep-alive socket to one origin with listeners attached once, forwarding to whoever owns it now. */
export class Connection {
  owner: ConnectionOwner | undefined;
  /** It has carried a request before: a failure before any byte of the answer may be a server closing it while idle. */
  reused = false;
  closed = false;
  idleSince = 0;
  keepAliveMs = defaultKeepAliveMs;
  /** How long opening it took (TCP, and TLS when secure): a measure of the round trip to the server. */
  handshakeMs = 0;
  private error: Error | undefined;

  constructor(
    readonly socket: Socket,
    private readonly pool: OriginPool,
  ) {
    socket.on('data', (chunk: Buffer) => {
      if (this.owner) this.owner.onData(chunk);
      else socket.destroy(); // bytes nobody asked for: the connection is out of step
    });
    socket.on('error', (error: Error) => {
      this.error = error;
    });
    socket.on('close', () => {
      this.closed = true;
      const owner = this.owner;
      this.owner = undefined;
      if (owner) owner.onClose(this.error);
      else pool.forget(this);
    });
  }

  /** Idle past its keep-alive time: the server may close it any moment, so it is not used again. */
  expired(now: number): boolean {
    return now - this.idleSince >= this.keepAliveMs;
  }

  /** Reads the server's `keep-alive: timeout=N` hint, keeping a second of margin as N is when the server closes. */
  useKeepAliveHint(hint: string | string[] | undefined): void {
    if (typeof hint !== 'string') return;
    const match = /timeout=(\d+)/i.exec(hint);
    if (match) this.keepAliveMs = Math.min(maxKeepAliveMs, Math.max(0, Number(match[1]) * 1_000 - 1_000));
  }
}

/** Every pool, by origin (`https://host:port`): the one registry, for lookups, sweeping and shutdown. */
const pools = new Map<string, OriginPool>();
let sweeper: NodeJS.Timeout | undefined;

function sweepIdle(): void {
  const now = performance.now();
  let idle = 0;
  for (const pool of pools.values()) idle += pool.dropStale(now);
  if (idle === 0 && sweeper) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
}

/** The keep-alive connections to one origin. No cap: a cap makes long streams queue behind each other. */
export class OriginPool {
  private idle: Connection[] = [];
  private tlsSession: Buffer | undefined;
  private closing = false;

  private constructor(readonly origin: Origin) {}

  /** The pool of an origin, made on first use with that origin's settings. */
  static of(key: string, origin: () => Origin): OriginPool {
    let pool = pools.get(key);
    if (!pool) {
      pool = new OriginPool(origin());
      pools.set(key, pool);
    }
    return pool;
  }

  /** Closes every pool's idle connections; exchanges in flight finish and then close theirs. */
  static closeAll(): void {
    for (const pool of pools.values()) pool.close();
    pools.clear();
  }

  /** The most recently used idle connection that is still open and fresh, if any. */
  takeIdle(): Connection | undefined {
    const now = performance.now();
    while (this.idle.length > 0) {
      const connection = this.idle.pop() as Connection;
      if (connection.closed || connection.socket.destroyed || connection.socket.readableEnded) continue;
      if (connection.expired(now)) {
        connection.socket.destroy();
        continue;
      }
      connection.socket.ref();
      return connection;
    }
    return undefined;
  }

  connect(connectMs: number, done: (error: Error | undefined, connection?: Connection) => void): void {
    const tls = { session: this.tlsSession, onSession: (session: Buffer) => (this.tlsSession = session) };
    const started = performance.now();
    openSocket(this.origin, connectMs, tls, (error, socket) => {
      if (error || !socket) {
        done(error);
        return;
      }
      const connection = new Connection(socket, this);
      connection.handshakeMs = performance.now() - started;
      done(undefined, connection);
    });
  }

  /** Takes a connection back after a complete exchange. */
  release(connection: Connection): void {
    if (this.closing || connection.closed || connection.keepAliveMs === 0) {
      connection.socket.destroy();
      return;
    }
    connection.reused = true;
    connection.idleSince = performance.now();
    connection.socket.resume();
    connection.socket.unref();
    this.idle.push(connection);
    sweeper ??= setInterval(sweepIdle, 1_000).unref();
  }

  forget(connection: Connection): void {
    const index = this.idle.indexOf(connection);
    if (index !== -1) this.idle.splice(index, 1);
  }

  /** Closes idle connections past their keep-alive time; returns how many stay idle. */
  dropStale(now: number): number {
    const fresh: Connection[] = [];
    for (const connection of this.idle) {
      if (connection.closed) continue;
      if (connection.expired(now)) connection.socket.destroy();
      else fresh.push(connection);
    }
    this.idle = fresh;
    return fresh.length;
  }

  private close(): void {
    this.closing = true;
    for (const connection of this.idle) connection.socket.destroy();
    this.idle = [];
  }
}
