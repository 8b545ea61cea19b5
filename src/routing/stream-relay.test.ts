import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StreamPart } from '../core/canonical.js';
import type { Deployment } from '../core/deployment.js';
import { GatewayError } from '../core/errors.js';
import type { ProviderAdapter } from '../core/provider.js';
import { openAiAdapter } from '../providers/openai/openai-adapter.js';
import type { OpenedStream } from '../providers/shared/upstream-stream.js';
import type { ExecutionContext } from './attempt-loop.js';
import { startAttempt } from './attempt-record.js';
import { StreamRelay } from './stream-relay.js';

const deployment = { model: 'm', provider: 'p', providerType: 'openai', adapter: openAiAdapter, upstreamModel: 'm', price: { input: 1, output: 2 }, private: false } as unknown as Deployment;
const request = { model: 'm', stream: true, messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }] };
const chunk = (delta: Record<string, unknown>, finish: string | null = null) => `data: ${JSON.stringify({ id: 'c', model: 'm', created: 1, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const usage = `data: ${JSON.stringify({ id: 'c', model: 'm', created: 1, choices: [], usage: { prompt_tokens: 3, completion_tokens: 2 } })}\n\n`;

function setup(target: Deployment = deployment) {
  const context: ExecutionContext = { attempts: [], signal: new AbortController().signal };
  const relay = new StreamRelay(request, target, context, { record: startAttempt(deployment, 0), started: performance.now() });
  const control = { paused: 0, resumed: 0, aborted: 0 };
  const stream: OpenedStream = { status: 200, headers: {}, errorBody: undefined, resume: () => (control.resumed += 1), abort: () => (control.aborted += 1) };
  const parts: StreamPart[] = [];
  const sink = (writable = true) => ({ write: (part: StreamPart) => (parts.push(part), writable), onDrain: (resume: () => void) => resume() });
  return { context, relay, stream, parts, sink, control };
}

test('a stream that ends before the commit check and before the sink still commits, relays and records once', async () => {
  const { context, relay, stream, parts, sink } = setup();
  relay.onChunk(Buffer.from(chunk({ role: 'assistant', content: '' }) + chunk({ content: 'Hel' })));
  relay.onChunk(Buffer.from(chunk({ content: 'lo' }) + chunk({}, 'stop') + usage + 'data: [DONE]\n\n'));
  relay.onEnd();
  await relay.committed(stream);
  await relay.pipe(sink());
  assert.deepEqual(parts.filter((part) => part.type === 'text-delta').map((part) => (part as { text: string }).text), ['Hel', 'lo']);
  assert.equal(parts.at(-1)?.type, 'finish');
  assert.equal(context.attempts.length, 1);
  assert.equal(context.attempts[0]?.status, 200);
  assert.equal(context.attempts[0]?.outputTokens, 2);
});

test('an error before the first content fails the attempt without recording it, so the caller can fall back', async () => {
  const { context, relay, stream, control } = setup();
  const committed = relay.committed(stream);
  relay.onChunk(Buffer.from('data: {"error":{"message":"overloaded"}}\n\n'));
  await assert.rejects(committed, /overloaded/);
  assert.equal(control.aborted, 1);
  relay.onEnd();
  assert.equal(context.attempts.length, 0);
});

test('an upstream that ends with nothing fails the attempt', async () => {
  const { relay, stream } = setup();
  relay.onEnd();
  await assert.rejects(relay.committed(stream), /closed the stream/);
});

test('a sink that cannot take more pauses the upstream until it drains', async () => {
  const { relay, stream, control } = setup();
  const committed = relay.committed(stream);
  relay.onChunk(Buffer.from(chunk({ content: 'a' })));
  await committed;
  const ended = relay.pipe({ write: () => false, onDrain: () => (control.paused += 1) });
  assert.equal(relay.onChunk(Buffer.from(chunk({ content: 'b' }))), false);
  assert.equal(control.paused, 1, 'one drain callback per pause, however many parts meet a full sink');
  relay.onChunk(Buffer.from(chunk({}, 'stop') + 'data: [DONE]\n\n'));
  relay.onEnd();
  await ended;
});

test('a part that cannot be decoded ends the stream with that one error, and the connection closing after it adds nothing', async () => {
  // A decoder that throws on a corrupt frame, as the AWS event-stream one does on a checksum mismatch.
  const strict: ProviderAdapter = {
    ...openAiAdapter,
    createStreamDecoder(model) {
      const inner = openAiAdapter.createStreamDecoder(model);
      return {
        decode: (event) => {
          if (event.data === 'corrupt') throw new GatewayError('upstream_error', 'frame checksum mismatch');
          return inner.decode(event);
        },
        end: () => inner.end(),
      };
    },
  };
  const { context, relay, stream, parts, sink, control } = setup({ ...deployment, adapter: strict } as Deployment);
  const committed = relay.committed(stream);
  relay.onChunk(Buffer.from(chunk({ content: 'a' })));
  await committed;
  const ended = relay.pipe(sink());
  assert.equal(relay.onChunk(Buffer.from('data: corrupt\n\n')), false);
  relay.onError(new Error('socket closed by the relay'));
  relay.onEnd();
  await ended;
  const errors = parts.filter((part) => part.type === 'error');
  assert.equal(errors.length, 1);
  assert.match((errors[0] as { error: Error }).error.message, /checksum mismatch/);
  assert.equal(control.aborted, 1);
  assert.equal(context.attempts.length, 1);
  assert.notEqual(context.attempts[0]?.status, 200);
});
