/** Response headers: lower-case names; a name sent more than once keeps every value, in order. */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface ResponseParserEvents {
  onHead(status: number, headers: ResponseHeaders): void;
  onBody(chunk: Buffer): void;
  onEnd(): void;
}

/** The upstream broke HTTP/1.1 framing; the connection cannot be trusted any more. */
export class ResponseParseError extends Error {
  readonly code = 'UPSTREAM_BAD_RESPONSE';
}

const maxHeadBytes = 64 * 1024;
const maxLineBytes = 4 * 1024;
const headEnd = Buffer.from('\r\n\r\n');

type State = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-data-end' | 'trailers' | 'until-close' | 'done';

/**
 * An incremental HTTP/1.1 response parser (RFC 9112) for one connection, one response at a time: the status line
 * and headers, then a body framed by Transfer-Encoding: chunked, by Content-Length, or by the end of the connection.
 * Interim 1xx responses are skipped. Body chunks are slices of the buffers given to `execute`, never copies.
 */
export class ResponseParser {
  private state: State = 'head';
  private head: Buffer | undefined;
  private remaining = 0;
  private line = '';
  /** The connection may carry another request once this response is done. */
  keepAlive = true;
  /** Bytes of the response seen so far (head included). */
  received = 0;

  constructor(private readonly events: ResponseParserEvents) {}

  get done(): boolean {
    return this.state === 'done';
  }

  /** Feeds bytes read from the connection. Throws ResponseParseError on a malformed response. */
  execute(chunk: Buffer): void {
    this.received += chunk.length;
    let offset = 0;
    while (offset < chunk.length) {
      switch (this.state) {
        case 'head':
          offset = this.readHead(chunk, offset);
          break;
        case 'length': {
          const take = Math.min(this.remaining, chunk.length - offset);
          this.remaining -= take;
          this.events.onBody(offset === 0 && take === chunk.length ? chunk : chunk.subarray(offset, offset + take));
          offset += take;
          if (this.remaining === 0) this.finish();
          break;
        }
        case 'until-close':
          this.events.onBody(offset === 0 ? chunk : chunk.subarray(offset));
          offset = chunk.length;
          break;
        case 'chunk-size':
          offset = this.readLine(chunk, offset, (line) => this.startChunk(line));
          break;
        case 'chunk-data': {
          const take = Math.min(this.remaining, chunk.length - offset);
          this.remaining -= take;
          this.events.onBody(chunk.subarray(offset, offset + take));
          offset += take;
          if (this.remaining === 0) this.state = 'chunk-data-end';
          break;
        }
        case 'chunk-data-end':
          offset = this.readLine(chunk, offset, (line) => {
            if (line !== '') throw new ResponseParseError('Malformed chunked body: chunk data longer than its size.');
            this.state = 'chunk-size';
          });
          break;
        case 'trailers':
          offset = this.readLine(chunk, offset, (line) => {
            if (line === '') this.finish();
          });
          break;
        case 'done':
          // Bytes after the end of the response: the server does not follow one-request-per-turn framing.
          this.keepAlive = false;
          throw new ResponseParseError('Unexpected bytes after the end of the response.');
      }
    }
  }

  /** The connection ended: completes a body read until close, and reports any other response as cut short. */
  end(): void {
    if (this.state === 'until-close') {
      this.finish();
      return;
    }
    if (this.state !== 'done') throw new ResponseParseError(this.received === 0 ? 'The connection closed before any response.' : 'The connection closed in the middle of the response.');
  }

  private finish(): void {
    this.state = 'done';
    this.events.onEnd();
  }

  private readHead(chunk: Buffer, offset: number): number {
    let buffer = offset === 0 ? chunk : chunk.subarray(offset);
    const carried = this.head?.length ?? 0;
    if (this.head) buffer = Buffer.concat([this.head, buffer]);
    const end = buffer.indexOf(headEnd, Math.max(0, carried - 3));
    if (end === -1) {
      if (buffer.length > maxHeadBytes) throw new ResponseParseError(`Response headers larger than ${maxHeadBytes} bytes.`);
      this.head = buffer;
      return chunk.length;
    }
    this.head = undefined;
    this.parseHead(buffer.toString('latin1', 0, end));
    return offset + end + 4 - carried;
  }

  private parseHead(text: string): void {
    // Scanned by hand rather than split and matched with a regular expression: this runs once per upstream answer.
    let lineEnd = text.indexOf('\r\n');
    if (lineEnd === -1) lineEnd = text.length;
    const minor = text.charCodeAt(7);
    const status = statusCode(text);
    if (!text.startsWith('HTTP/1.') || (minor !== 48 && minor !== 49) || status === undefined || (lineEnd > 12 && text.charCodeAt(12) !== 32)) {
      throw new ResponseParseError(`Malformed status line: ${JSON.stringify(text.slice(0, Math.min(lineEnd, 80)))}.`);
    }
    // No prototype: header names are the server's, and `__proto__` or `constructor` must stay plain entries.
    const headers = Object.create(null) as ResponseHeaders;
    let start = lineEnd + 2;
    while (start < text.length) {
      let end = text.indexOf('\r\n', start);
      if (end === -1) end = text.length;
      const colon = text.indexOf(':', start);
      if (colon <= start || colon > end) throw new ResponseParseError(`Malformed header line: ${JSON.stringify(text.slice(start, Math.min(end, start + 80)))}.`);
      const name = text.slice(start, colon).toLowerCase();
      const value = text.slice(colon + 1, end).trim();
      const existing = headers[name];
      if (existing === undefined) headers[name] = value;
      else if (Array.isArray(existing)) existing.push(value);
      else headers[name] = [existing, value];
      start = end + 2;
    }
    const http11 = minor === 49;
    if (status >= 100 && status < 200) return; // interim response; the real one follows
    const connection = joined(headers.connection).toLowerCase();
    this.keepAlive = http11 ? !connection.includes('close') : connection.includes('keep-alive');
    const transferEncoding = joined(headers['transfer-encoding']).toLowerCase();
    const contentLength = headers['content-length'];
    // Framing a server should not send (RFC 9112 §6.1, §6.3): read it as told, then do not trust the connection again.
    if (transferEncoding !== '' && (contentLength !== undefined || !http11)) this.keepAlive = false;
    if (status === 204 || status === 304) this.state = 'done';
    else if (transferEncoding !== '') {
      if (!transferEncoding.trimEnd().endsWith('chunked')) {
        this.state = 'until-close';
        this.keepAlive = false;
      } else this.state = 'chunk-size';
    } else if (contentLength !== undefined) {
      if (Array.isArray(contentLength) || !/^\d{1,15}$/.test(contentLength)) throw new ResponseParseError(`Malformed content-length: ${JSON.stringify(contentLength)}.`);
      this.remaining = Number(contentLength);
      this.state = this.remaining === 0 ? 'done' : 'length';
    } else {
      this.state = 'until-close';
      this.keepAlive = false;
    }
    this.events.onHead(status, headers);
    if (this.state === 'done') this.events.onEnd();
  }

  /** Reads one CRLF-terminated line, which may arrive split across reads. */
  private readLine(chunk: Buffer, offset: number, onLine: (line: string) => void): number {
    const newline = chunk.indexOf(10, offset);
    if (newline === -1) {
      this.line += chunk.toString('latin1', offset, chunk.length);
      if (this.line.length > maxLineBytes) throw new ResponseParseError('Malformed chunked body: line too long.');
      return chunk.length;
    }
    let line = this.line + chunk.toString('latin1', offset, newline);
    this.line = '';
    if (line.endsWith('\r')) line = line.slice(0, -1);
    onLine(line);
    return newline + 1;
  }

  private startChunk(line: string): void {
    const semicolon = line.indexOf(';');
    const size = (semicolon === -1 ? line : line.slice(0, semicolon)).trim();
    if (!/^[0-9a-fA-F]{1,12}$/.test(size)) throw new ResponseParseError(`Malformed chunk size: ${JSON.stringify(size.slice(0, 20))}.`);
    this.remaining = Number.parseInt(size, 16);
    this.state = this.remaining === 0 ? 'trailers' : 'chunk-data';
  }
}

/** The three digits after `HTTP/1.x `, or undefined. */
function statusCode(text: string): number | undefined {
  let code = 0;
  for (let index = 9; index < 12; index += 1) {
    const digit = text.charCodeAt(index) - 48;
    if (!(digit >= 0 && digit <= 9)) return undefined;
    code = code * 10 + digit;
  }
  return text.charCodeAt(8) === 32 ? code : undefined;
}

function joined(value: string | string[] | undefined): string {
  return value === undefined ? '' : Array.isArray(value) ? value.join(',') : value;
}
