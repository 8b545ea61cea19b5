import type { Connection, ConnectionOwner, OriginPool } from './connection-pool.js';
import { ResponseParser, type ResponseHeaders } from './response-parser.js';

/** What the caller does with an answer, called as its bytes arrive. */
export interface ExchangeHandler {
  onHeaders(status: number, headers: ResponseHeaders): void;
  /** A slice of the body; return false to stop reading from the upstream until `resume()`. */
  onData(chunk: Buffer): boolean;
  onComplete(): void;
  onError(error: Error): void;
}

export interface ExchangeTimeouts {
  connectMs: number;
  /** Until the response head arrives, and then the longest silence allowed while the body arrives. */
  firstByteMs: number;
}

function transportError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * One request and its answer on one keep-alive connection. A connection that was reused and fails before any byte
 * of the answer is retried once on a new connection: servers close idle connections without notice, and such a
 * request never reached them.
 */
export class Exchange implements ConnectionOwner {
  private connection: Connection | undefined;
  private readonly parser: ResponseParser;
  private timer: NodeJS.Timeout | undefined;
  private headersSeen = false;
  private complete = false;
  private settled = false;
  private retried = false;
  private reusedConnection = false;

  constructor(
    private readonly pool: OriginPool,
    private readonly payload: string,
    private readonly timeouts: ExchangeTimeouts,
    private readonly handler: ExchangeHandler,
  ) {
    this.parser = new ResponseParser({
      onHead: (status, headers) => {
        this.headersSeen = true;
        this.timer?.refresh();
        this.connection?.useKeepAliveHint(headers['keep-alive']);
        this.handler.onHeaders(status, headers);
      },
      onBody: (chunk) => {
        this.timer?.refresh();
        if (!this.handler.onData(chunk)) this.connection?.socket.pause();
      },
      onEnd: () => {
        this.complete = true;
      },
    });
  }

  start(): void {
    const idle = this.pool.takeIdle();
    if (idle) {
      this.send(idle);
      return;
    }
    this.pool.connect(this.timeouts.connectMs, (error, connection) => {
      if (error || !connection) this.fail(error ?? transportError('The connection failed.', 'UPSTREAM_CLOSED'));
      else if (this.settled) connection.socket.destroy();
      else this.send(connection);
    });
  }

  resume(): void {
    this.connection?.socket.resume();
  }

  abort(reason: Error): void {
    this.fail(reason);
  }

  onData(chunk: Buffer): void {
    if (this.settled) return;
    try {
      this.parser.execute(chunk);
    } catch (error) {
      if (this.complete) this.connection?.socket.destroy(); // the answer was whole; only the connection is spoilt
      else {
        this.fail(error as Error);
        return;
      }
    }
    if (this.complete) this.finish();
  }

  onClose(error: Error | undefined): void {
    if (this.settled) return;
    this.connection = undefined;
    if (!error) {
      try {
        this.parser.end(); // a body that runs until the connection closes is now complete
      } catch (cut) {
        error = Object.assign(cut as Error, { code: 'UPSTREAM_CLOSED' });
      }
    }
    if (this.complete) {
      this.finish();
      return;
    }
    const closed = error ?? transportError('The connection closed before the answer was complete.', 'UPSTREAM_CLOSED');
    if (this.replayable()) this.retryOnNewConnection();
    else this.fail(closed);
  }

  private replayable(): boolean {
    return !this.retried && this.parser.received === 0 && this.reusedConnection;
  }

  private retryOnNewConnection(): void {
    this.retried = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pool.connect(this.timeouts.connectMs, (error, connection) => {
      if (error || !connection) this.fail(error ?? transportError('The connection failed.', 'UPSTREAM_CLOSED'));
      else if (this.settled) connection.socket.destroy();
      else this.send(connection);
    });
  }

  private send(connection: Connection): void {
    this.connection = connection;
    this.reusedConnection = connection.reused;
    connection.owner = this;
    this.timer = setTimeout(() => this.onTimeout(), this.timeouts.firstByteMs);
    connection.socket.write(this.payload);
  }

  private onTimeout(): void {
    this.fail(
      this.headersSeen
        ? transportError(`No data for ${this.timeouts.firstByteMs} ms in the middle of the answer.`, 'UPSTREAM_BODY_TIMEOUT')
        : transportError(`No answer within ${this.timeouts.firstByteMs} ms.`, 'UPSTREAM_HEADERS_TIMEOUT'),
    );
  }

  private finish(): void {
    if (this.settle(this.parser.keepAlive)) this.handler.onComplete();
  }

  private fail(error: Error): void {
    if (this.settle(false)) this.handler.onError(error);
  }

  /** Ends the exchange once: the connection goes back to the pool when it can carry another request, else it closes. */
  private settle(reusable: boolean): boolean {
    if (this.settled) return false;
    this.settled = true;
    clearTimeout(this.timer);
    const connection = this.connection;
    this.connection = undefined;
    if (connection) {
      connection.owner = undefined;
      if (reusable) this.pool.release(connection);
      else connection.socket.destroy();
    }
    return true;
  }
}
