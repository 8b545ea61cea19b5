import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

/** Writes raw bytes and reads everything the server answers until it closes the connection. */
function exchange(url: string, bytes: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
    socket.write(bytes);
  });
}

function parse(answer: string): { status: number; body: { error: { code: string; type: string; message: string; param: null } } } {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
  return { status, body: JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as never };
}

describe('requests the HTTP parser rejects get the error envelope too', () => {
  let gateway: TestGateway;
  before(async () => {
    gateway = await startTestGateway({ providers: { sim: { type: 'openai', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'x' } } });
  });
  after(() => gateway.stop());

  test('a header block over 16 KiB is a 431 that says what to fix, and the connection closes', async () => {
    const answer = parse(await exchange(gateway.url, `GET /v1/models HTTP/1.1\r\nhost: x\r\nx-big: ${'z'.repeat(20_000)}\r\n\r\n`));
    assert.equal(answer.status, 431);
    assert.equal(answer.body.error.code, 'request_headers_too_large');
    assert.match(answer.body.error.message, /headers are larger/);
  });

  test('a request line that is not HTTP/1.1 and conflicting framing are 400 invalid_request', async () => {
    for (const bytes of ['BREW /pot HTTP/9.9\r\n\r\n', 'POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\ncontent-length: 5\r\n\r\nzz\r\n']) {
      const answer = parse(await exchange(gateway.url, bytes));
      assert.equal(answer.status, 400, bytes);
      assert.equal(answer.body.error.code, 'invalid_request');
      assert.equal(answer.body.error.param, null);
    }
  });
});
