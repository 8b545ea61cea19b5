import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ResponseParseError, ResponseParser, type ResponseHeaders } from './response-parser.js';

interface Parsed {
  status: number | undefined;
  headers: ResponseHeaders | undefined;
  body: string;
  ended: number;
}

function parserFor(): { parser: ResponseParser; parsed: Parsed } {
  const parsed: Parsed = { status: undefined, headers: undefined, body: '', ended: 0 };
  const parser = new ResponseParser({
    onHead(status, headers) {
      parsed.status = status;
      parsed.headers = headers;
    },
    onBody(chunk) {
      parsed.body += chunk.toString('utf8');
    },
    onEnd() {
      parsed.ended += 1;
    },
  });
  return { parser, parsed };
}

/** Feeds the text in pieces of every size from 1 byte up, so every split point of every token is exercised. */
function feedInPieces(text: string, size: number): { parser: ResponseParser; parsed: Parsed } {
  const result = parserFor();
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < bytes.length; offset += size) result.parser.execute(bytes.subarray(offset, offset + size));
  return result;
}

const chunked = 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n' + '7\r\ndata: 1\r\n' + 'a;ext=x\r\n\ndata: 22\n\r\n' + '0\r\nx-trailer: t\r\n\r\n';

test('a chunked answer, split at every possible point, gives the same head, body and one end', () => {
  for (let size = 1; size <= chunked.length; size += 1) {
    const { parser, parsed } = feedInPieces(chunked, size);
    assert.equal(parsed.status, 200, `piece size ${size}`);
    assert.equal(parsed.headers?.['content-type'], 'text/event-stream');
    assert.deepEqual(parsed.headers?.['set-cookie'], ['a=1', 'b=2']);
    assert.equal(parsed.body, 'data: 1\ndata: 22\n', `piece size ${size}`);
    assert.equal(parsed.ended, 1);
    assert.ok(parser.done && parser.keepAlive);
  }
});

test('a content-length answer ends after exactly that many bytes, also when they arrive split', () => {
  const text = 'HTTP/1.1 201 Created\r\ncontent-length: 11\r\nkeep-alive: timeout=5\r\n\r\n{"ok":true}';
  for (let size = 1; size <= text.length; size += 3) {
    const { parser, parsed } = feedInPieces(text, size);
    assert.equal(parsed.status, 201);
    assert.equal(parsed.body, '{"ok":true}');
    assert.equal(parsed.ended, 1);
    assert.ok(parser.keepAlive);
  }
});

test('an answer with neither length nor chunking runs until the connection closes, which it then must', () => {
  const { parser, parsed } = feedInPieces('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n{"a":', 4);
  parser.execute(Buffer.from('1}'));
  assert.equal(parsed.ended, 0);
  parser.end();
  assert.equal(parsed.body, '{"a":1}');
  assert.equal(parsed.ended, 1);
  assert.equal(parser.keepAlive, false);
});

test('interim 1xx answers are skipped; 204 and a zero length end at once', () => {
  const { parsed } = feedInPieces('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nhi', 5);
  assert.equal(parsed.status, 200);
  assert.equal(parsed.body, 'hi');
  for (const head of ['HTTP/1.1 204 No Content\r\n\r\n', 'HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n']) {
    const result = feedInPieces(head, 1000);
    assert.equal(result.parsed.ended, 1);
    assert.equal(result.parsed.body, '');
  }
});

test('connection: close, and HTTP/1.0 without keep-alive, say the connection cannot be reused', () => {
  assert.equal(feedInPieces('HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 0\r\n\r\n', 100).parser.keepAlive, false);
  assert.equal(feedInPieces('HTTP/1.0 200 OK\r\ncontent-length: 0\r\n\r\n', 100).parser.keepAlive, false);
  assert.equal(feedInPieces('HTTP/1.0 200 OK\r\nconnection: keep-alive\r\ncontent-length: 0\r\n\r\n', 100).parser.keepAlive, true);
});

test('malformed answers are refused with a reason, and a cut-short answer is reported at the end of the connection', () => {
  const bad = [
    'SMTP 220 hello\r\n\r\n',
    'HTTP/1.1 200 OK\r\nno colon here\r\n\r\n',
    'HTTP/1.1 200 OK\r\ncontent-length: 12abc\r\n\r\n',
    'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n',
    'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nabcd\r\n',
    'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nabEXTRA',
  ];
  for (const text of bad) assert.throws(() => feedInPieces(text, 1000), ResponseParseError, JSON.stringify(text));
  const cut = feedInPieces('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc', 1000);
  assert.throws(() => cut.parser.end(), /in the middle of the response/);
  assert.throws(() => parserFor().parser.end(), /before any response/);
});

test('a head larger than 64 KiB is refused instead of buffered without end', () => {
  const { parser } = parserFor();
  parser.execute(Buffer.from('HTTP/1.1 200 OK\r\n'));
  assert.throws(() => {
    for (let index = 0; index < 100; index += 1) parser.execute(Buffer.from(`x-filler-${index}: ${'y'.repeat(1000)}\r\n`));
  }, /larger than 65536 bytes/);
});

test('header names stay plain entries, and framing a server should not send leaves the connection unusable', () => {
  const { parsed } = feedInPieces('HTTP/1.1 200 OK\r\n__proto__: x\r\nconstructor: y\r\ncontent-length: 0\r\n\r\n', 100);
  assert.equal(parsed.headers?.['__proto__'], 'x');
  assert.equal(parsed.headers?.['constructor'], 'y');
  const both = feedInPieces('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ncontent-length: 5\r\n\r\n2\r\nok\r\n0\r\n\r\n', 100);
  assert.equal(both.parsed.body, 'ok');
  assert.equal(both.parser.keepAlive, false);
});
