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
  /** Until the response head arrives, and then the longest silence allowed while the body arrives (not counting pauses the reader asked for). */
  firstByteMs: number;
  /** The whole exchange, from sending to the last byte. */
  totalMs?: number;
}

function transportError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

function cancelled(): Error {
  return Object.assign(new Error('The request was cancelled.'), { name: 'AbortError' });
}

/**
 * One request and its answer on one keep-alive connection.
 *
 * A reused connection that closes before any byte of the answer is retried once on a new connection, but only when
 * the close came within two handshake times of the write: that is a server that had already closed the idle
 * connection answering the request with a reset. A later close may follow a request the server read and acted on,
 * and resending it would bill it twice, so it is reported instead (and the attempt loop, which records every
 * attempt, decides).
 */
export class Exchange implements ConnectionOwner {
  private connection: Connection | undefined;
  private readonly parser: ResponseParser;
  private silence: NodeJS.Timeout | undefined;
  private deadline: NodeJS.Timeout | undefined;
  private headersSeen = false;
  private complete = false;
  private settled = false;
  private paused = false;
  private retried = false;
  private reusedConnection = false;
  private sentAt = 0;
  private readonly onAbort = () => this.fail(cancelled());

  constructor(
    private readonly pool: OriginPool,
    private readonly payload: string,
    private readonly timeouts: ExchangeTimeouts,
    private readonly handler: ExchangeHandler,
    /** Cancels the exchange (the client went away); the connection is closed, not reused. */
    private readonly signal?: AbortSignal,
  ) {
    this.parser = new ResponseParser({
      onHead: (status, headers) => {
        if (this.settled) return;
        this.headersSeen = true;
        this.silence?.refresh();
        this.connection?.useKeepAliveHint(headers['keep-alive']);
        this.handler.onHeaders(status, headers);
      },
      onBody: (chunk) => {
        if (this.settled) return;
        this.silence?.refresh();
        if (!this.handler.onData(chunk) && !this.paused) {
          // The reader is full: stop reading, and stop counting silence, which is now ours and not the upstream's.
          this.paused = true;
          clearTimeout(this.silence);
          this.connection?.socket.pause();
        }
      },
      onEnd: () => {
        this.complete = true;
      },
    });
  }

  start(): void {
    if (this.signal) {
      if (this.signal.aborted) {
        queueMicrotask(() => this.fail(cancelled())); // callbacks never run before sendHttp1 returns
        return;
      }
      this.signal.addEventListener('abort', this.onAbort, { once: true });
    }
    if (this.timeouts.totalMs !== undefined) {
      this.deadline = setTimeout(() => this.fail(transportError(`The exchange took longer than ${this.timeouts.totalMs} ms.`, 'UPSTREAM_TOTAL_TIMEOUT')), this.timeouts.totalMs);
    }
    const idle = this.pool.takeIdle();
    if (idle) this.send(idle);
    else this.connectAndSend();
  }

  resume(): void {
    if (!this.paused || this.settled) return;
    this.paused = false;
    this.armSilence();
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
    const connection = this.connection;
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
    if (this.closedWhileIdle(connection)) {
      this.retried = true;
      clearTimeout(this.silence);
      this.connectAndSend();
    } else this.fail(closed);
  }

  /** A reused connection closed, with nothing answered, as fast as a reset to a request on a closed connection comes. */
  private closedWhileIdle(connection: Connection | undefined): boolean {
    if (this.retried || !this.reusedConnection || this.parser.received > 0 || !connection) return false;
    return performance.now() - this.sentAt <= Math.max(5, 2 * connection.handshakeMs);
  }

  private connectAndSend(): void {
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
    this.armSilence();
    this.sentAt = performance.now();
    connection.socket.write(this.payload);
  }

  private armSilence(): void {
    clearTimeout(this.silence);
    this.silence = setTimeout(() => this.onSilence(), this.timeouts.firstByteMs);
  }

  private onSilence(): void {
    this.fail(
      this.headersSeen
        ? transportError(`No data for ${this.timeouts.firstByteMs} ms in the middle of the answer.`, 'UPSTREAM_BODY_TIMEOUT')
        : transportError(`No answer within ${this.timeouts.firstByteMs} ms.`, 'UPSTREAM_HEADERS_TIMEOUT'),
    );
  }

  private finish(): void {
    if (!this.settle(this.parser.keepAlive)) return;
    try {
      this.handler.onComplete();
    } catch (error) {
      // Called from a socket event: a throw here would end the process. The answer was delivered; report and go on.
      process.emitWarning(error as Error);
    }
  }

  private fail(error: Error): void {
    if (!this.settle(false)) return;
    try {
      this.handler.onError(error);
    } catch (thrown) {
      process.emitWarning(thrown as Error);
    }
  }

  /** Ends the exchange once: the connection goes back to the pool when it can carry another request, else it closes. */
  private settle(reusable: boolean): boolean {
    if (this.settled) return false;
    this.settled = true;
    clearTimeout(this.silence);
    clearTimeout(this.deadline);
    this.signal?.removeEventListener('abort', this.onAbort);
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
