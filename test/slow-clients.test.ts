import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { houseChatBody as chatBody, startHouse, type House } from './support/simulated-house.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

interface RawAnswer {
  /** Everything the server sent before it closed the connection. */
  text: string;
  /** Milliseconds from the first byte written to the close. */
  closedAfterMs: number;
}

/** Sends request headers, then the body one byte a second, and reports what came back and when the server closed. */
function trickle(url: string, path: string, headers: Record<string, string>, body: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const started = performance.now();
    let text = '';
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ text, closedAfterMs: performance.now() - started });
    });
    socket.once('connect', () => {
      const head = Object.entries({ host: `${hostname}:${port}`, 'content-length': String(Buffer.byteLength(body)), ...headers })
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('');
      socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n`);
      timer = setInterval(() => {
        if (sent >= body.length) return;
        if (!socket.destroyed) socket.write(body[sent++] as string);
      }, 1_000);
    });
    setTimeout(() => reject(new Error(`the server never closed the trickling connection: ${text}`)), 30_000).unref();
  });
}

function statusOf(answer: RawAnswer): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(answer.text)?.[1]);
}

function bodyOf(answer: RawAnswer): { error: { code: string; message: string } } {
  return JSON.parse(answer.text.slice(answer.text.indexOf('\r\n\r\n') + 4)) as { error: { code: string; message: string } };
}


describe('a body trickled at one byte a second', () => {
  let house: House;

  before(async () => {
    house = await startHouse({ bodyTimeoutMs: 3_000, bodyMinBytesPerSecond: 0 });
  });

  after(() => house.stop());

  test('is cut at the body deadline with a 408 in the error envelope, and the connection closes', async () => {
    const { gateway, simulator } = house;
    const answer = await trickle(gateway.url, '/v1/chat/completions', { authorization: `Bearer ${gateway.clientKey}`, 'content-type': 'application/json' }, chatBody);
    assert.equal(statusOf(answer), 408, answer.text);
    assert.match(answer.text, /connection: close/i);
    const body = bodyOf(answer);
    assert.equal(body.error.code, 'request_timeout');
    assert.match(body.error.message, /server\.bodyTimeoutMs/);
    assert.ok(answer.closedAfterMs >= 3_000 && answer.closedAfterMs < 4_500, `closed after ${Math.round(answer.closedAfterMs)} ms`);
    assert.equal(simulator.received.length, 0, 'nothing reached the provider');
    const stats = (await (await gateway.admin('/admin/guard/stats')).json()) as { bodyTimeouts: number };
    assert.equal(stats.bodyTimeouts, 1);
  });

  test('an Anthropic request cut the same way gets the Anthropic envelope', async () => {
    const { gateway, simulator } = house;
    const answer = await trickle(gateway.url, '/v1/messages', { 'x-api-key': gateway.clientKey, 'content-type': 'application/json' }, chatBody);
    assert.equal(statusOf(answer), 408);
    const body = bodyOf(answer) as unknown as { type: string; error: { type: string; message: string } };
    assert.equal(body.type, 'error');
    assert.match(body.error.message, /not complete within 3000 ms/);
  });

  test('an answer that takes longer than the body deadline is not cut: the deadline covers the upload only', async () => {
    const { simulator, chat } = house;
    simulator.behave({ kind: 'slow', delayMs: 3_500 });
    try {
      const response = await chat();
      assert.equal(response.status, 200);
      const answer = (await response.json()) as { choices: Array<{ message: { content: string } }> };
      assert.ok(answer.choices[0]?.message.content);
    } finally {
      simulator.behave({ kind: 'ok' });
    }
  });
});

describe('a body slower than the minimum rate', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ server: { bodyTimeoutMs: 60_000, bodyMinBytesPerSecond: 100, bodyRateGraceMs: 2_000 } });
  });

  after(() => gateway.stop());

  test('is cut once the grace period has passed, long before the total deadline', async () => {
    const answer = await trickle(gateway.url, '/v1/chat/completions', { authorization: `Bearer ${gateway.clientKey}` }, chatBody);
    assert.equal(statusOf(answer), 408);
    assert.match(bodyOf(answer).error.message, /slower than 100 bytes per second/);
    assert.ok(answer.closedAfterMs >= 2_000 && answer.closedAfterMs < 3_500, `closed after ${Math.round(answer.closedAfterMs)} ms`);
    const stats = (await (await gateway.admin('/admin/guard/stats')).json()) as { slowBodies: number };
    assert.equal(stats.slowBodies, 1);
  });
});

describe('a connection that sends nothing, or only part of its headers', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ server: { headersTimeoutMs: 1_500 } });
  });

  after(() => gateway.stop());

  test('is closed once the header deadline has passed', async () => {
    const { port } = new URL(gateway.url);
    const closedAfter = (firstBytes: string) =>
      new Promise<number>((resolve) => {
        const started = performance.now();
        const socket = connect(Number(port), '127.0.0.1', () => socket.write(firstBytes));
        socket.on('error', () => {});
        socket.on('close', () => resolve(performance.now() - started));
        socket.resume();
      });
    const [silent, partial] = await Promise.all([closedAfter(''), closedAfter('GET /v1/models HTTP/1.1\r\nhost: x\r\n')]);
    for (const elapsed of [silent, partial]) assert.ok(elapsed >= 1_500 && elapsed < 3_500, `closed after ${Math.round(elapsed)} ms`);
  });
});

/** Opens `count` connections that send nothing, a few hundred at a time; returns them and how many the server closed. */
async function openIdle(url: string, count: number): Promise<{ sockets: Socket[]; closed: () => number }> {
  const { port } = new URL(url);
  const sockets: Socket[] = [];
  let closed = 0;
  for (let start = 0; start < count; start += 500) {
    const batch = Array.from({ length: Math.min(500, count - start) }, () =>
      new Promise<void>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1');
        sockets.push(socket);
        socket.on('error', () => {});
        socket.once('connect', () => resolve());
        socket.once('close', () => {
          closed++;
          resolve();
        });
      }),
    );
    await Promise.all(batch);
  }
  return { sockets, closed: () => closed };
}

describe('10,000 idle connections', () => {
  const idleCount = 10_000;
  let house: House;

  before(async () => {
    house = await startHouse({ maxConnections: 1_000, headersTimeoutMs: 60_000 });
  });

  after(() => house.stop());

  test('are held to the connection limit while valid requests are still served', async () => {
    const { gateway, chat } = house;
    const idle = await openIdle(gateway.url, idleCount);
    try {
      const deadline = Date.now() + 10_000;
      while (idle.closed() < idleCount - 1_000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(idle.closed() >= idleCount - 1_000, `the server closed ${idle.closed()} of ${idleCount} idle connections`);
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => chat()),
      );
      assert.deepEqual(answers.map((answer) => answer.status), Array.from({ length: 20 }, () => 200));
      await Promise.all(answers.map((answer) => answer.text()));
      const stats = (await (await gateway.admin('/admin/guard/stats')).json()) as { openConnections: number; evictedIdleConnections: number };
      assert.ok(stats.openConnections <= 1_000, `${stats.openConnections} connections open`);
      assert.ok(stats.evictedIdleConnections >= idleCount - 1_000, `${stats.evictedIdleConnections} idle connections closed for newcomers`);
    } finally {
      for (const socket of idle.sockets) socket.destroy();
    }
  });
});

describe('at the connection limit with every connection busy', () => {
  let house: House;

  before(async () => {
    house = await startHouse({ maxConnections: 2 });
    house.simulator.behave({ kind: 'slow', delayMs: 1_500 });
  });

  after(() => house.stop());

  test('a new connection is refused at once, and served again once a request finishes', async () => {
    const { gateway, chat, simulator } = house;
    const busy = [chat(), chat()];
    while (simulator.received.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    const { port } = new URL(gateway.url);
    const refused = await new Promise<{ bytes: number; closedAfterMs: number }>((resolve) => {
      const started = performance.now();
      let bytes = 0;
      const socket = connect(Number(port), '127.0.0.1');
      socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
      socket.on('error', () => {});
      socket.on('close', () => resolve({ bytes, closedAfterMs: performance.now() - started }));
    });
    assert.equal(refused.bytes, 0);
    assert.ok(refused.closedAfterMs < 1_000, `closed after ${Math.round(refused.closedAfterMs)} ms`);
    assert.deepEqual((await Promise.all(busy)).map((answer) => answer.status), [200, 200]);
    simulator.behave({ kind: 'ok' });
    const stats = (await (await gateway.admin('/admin/guard/stats')).json()) as { refusedConnections: number };
    assert.equal(stats.refusedConnections, 1);
  });
});
