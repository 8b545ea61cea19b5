import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startOpenAiSimulator, type OpenAiSimulator } from './simulators/openai-simulator.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

const clientTraceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const clientSpanId = '00f067aa0ba902b7';
const serverKind = 2;
const clientKind = 3;

interface LedgerEntry {
  costUsd: number;
  attempts: Array<{ costUsd: number; errorCode: string | null; status: number }>;
}

/** Starts a gateway with these OTEL_* variables in the environment; they are read once, at start. */
async function gatewayWithEnv(env: Record<string, string>, config: unknown): Promise<TestGateway> {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    return await startTestGateway(config);
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

function otlpEnv(receiver: OtlpReceiver, extra: Record<string, string> = {}): Record<string, string> {
  return { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.tracesUrl, OTEL_BSP_SCHEDULE_DELAY: '20', OTEL_SERVICE_NAME: 'switchyard-under-test', ...extra };
}

async function chat(gateway: TestGateway, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gateway.clientKey}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'a secret prompt' }], ...body }),
  });
  assert.equal(response.status, 200);
  await response.arrayBuffer();
  return response.headers.get('x-request-id') as string;
}

function traceparentOf(header: string | string[] | undefined): { traceId: string; parentId: string; flags: string } {
  assert.equal(typeof header, 'string', 'the upstream request carries a traceparent');
  const [version, traceId, parentId, flags] = (header as string).split('-');
  assert.equal(version, '00');
  return { traceId: traceId as string, parentId: parentId as string, flags: flags as string };
}

const providers = (simulator: OpenAiSimulator, broken: OpenAiSimulator) => ({ sim: { type: 'openai', baseUrl: simulator.url }, flaky: { type: 'openai', baseUrl: broken.url } });
const models = { priced: { provider: 'sim', model: 'house-v1', price: { input: 3, output: 15 } }, failing: { provider: 'flaky', model: 'house-v1', price: { input: 3, output: 15 } } };

describe('OpenTelemetry traces through an OTLP/HTTP receiver', () => {
  let simulator: OpenAiSimulator;
  let broken: OpenAiSimulator;
  let receiver: OtlpReceiver;
  let gateway: TestGateway;

  before(async () => {
    simulator = await startOpenAiSimulator();
    broken = await startOpenAiSimulator();
    broken.behave({ kind: 'status', status: 503 });
    receiver = await startOtlpReceiver();
    gateway = await gatewayWithEnv(otlpEnv(receiver), { providers: providers(simulator, broken), models, routes: { chat: { strategy: 'fallback', targets: ['failing', 'priced'], retry: { attemptsPerTarget: 1 } } } });
  });

  after(async () => {
    await gateway.stop();
    await simulator.close();
    await broken.close();
    await receiver.close();
  });

  test("a request span joins the client's trace, its attempt is a child, and the provider gets the attempt's context", async () => {
    const id = await chat(gateway, { model: 'priced' }, { traceparent: `00-${clientTraceId}-${clientSpanId}-01`, tracestate: 'vendor=value' });
    const [requestSpan] = await receiver.waitFor((span) => span.attributes['switchyard.request_id'] === id, 1);
    const span = requestSpan as ReceivedSpan;
    assert.equal(span.name, 'chat priced');
    assert.equal(span.kind, serverKind);
    assert.equal(span.traceId, clientTraceId);
    assert.equal(span.parentSpanId, clientSpanId);
    const [attempt] = await receiver.waitFor((candidate) => candidate.parentSpanId === span.spanId, 1);
    assert.equal(attempt?.name, 'chat house-v1');
    assert.equal(attempt?.kind, clientKind);
    assert.equal(attempt?.traceId, clientTraceId);
    assert.ok((attempt as ReceivedSpan).startNs >= span.startNs && (attempt as ReceivedSpan).endNs <= span.endNs, 'the attempt lies within its request');

    const upstream = simulator.received.at(-1);
    const sent = traceparentOf(upstream?.headers.traceparent);
    assert.equal(sent.traceId, clientTraceId);
    assert.equal(sent.parentId, attempt?.spanId);
    assert.equal(sent.flags, '01');
    assert.equal(upstream?.headers.tracestate, 'vendor=value');

    const record = (await (await gateway.admin(`/admin/requests/${id}`)).json()) as LedgerEntry;
    assert.equal(span.resource['service.name'], 'switchyard-under-test');
    assert.deepEqual(
      { operation: span.attributes['gen_ai.operation.name'], provider: span.attributes['gen_ai.provider.name'], requested: span.attributes['gen_ai.request.model'], responded: span.attributes['gen_ai.response.model'], finish: span.attributes['gen_ai.response.finish_reasons'] },
      { operation: 'chat', provider: 'openai', requested: 'priced', responded: 'house-v1', finish: ['stop'] },
    );
    // The simulator bills 12 prompt tokens, 2 of them cached, and 7 completion tokens.
    assert.equal(span.attributes['gen_ai.usage.input_tokens'], 12);
    assert.equal(span.attributes['gen_ai.usage.cache_read.input_tokens'], 2);
    assert.equal(span.attributes['gen_ai.usage.output_tokens'], 7);
    assert.equal(span.attributes['gen_ai.usage.reasoning.output_tokens'], 0);
    assert.ok(record.costUsd > 0);
    assert.equal(span.attributes['switchyard.cost_usd'], record.costUsd);
    assert.equal(attempt?.attributes['switchyard.cost_usd'], record.attempts[0]?.costUsd);
    assert.equal(attempt?.attributes['gen_ai.request.model'], 'house-v1');
    assert.equal(span.attributes['error.type'], undefined);
    assert.equal(span.attributes['gen_ai.input.messages'], undefined, 'no prompt without the opt-in');
    assert.equal(span.attributes['gen_ai.output.messages'], undefined, 'no answer without the opt-in');
  });

  test('every attempt of a fallback has its own span and its own traceparent upstream; failures carry error.type', async () => {
    const before = { flaky: broken.received.length, sim: simulator.received.length };
    const id = await chat(gateway, { model: 'chat', stream: true, stream_options: { include_usage: true } });
    const [requestSpan] = await receiver.waitFor((span) => span.attributes['switchyard.request_id'] === id, 1);
    const attempts = await receiver.waitFor((span) => span.parentSpanId === requestSpan?.spanId, 2);
    const record = (await (await gateway.admin(`/admin/requests/${id}`)).json()) as LedgerEntry;
    const failed = attempts.find((span) => span.attributes['switchyard.attempt'] === 0) as ReceivedSpan;
    const served = attempts.find((span) => span.attributes['switchyard.attempt'] === 1) as ReceivedSpan;
    assert.equal(failed.attributes['switchyard.provider'], 'flaky');
    assert.equal(failed.attributes['http.response.status_code'], 503);
    assert.equal(failed.attributes['error.type'], record.attempts[0]?.errorCode);
    assert.equal(failed.statusCode, 2, 'error status');
    assert.equal(served.attributes['switchyard.provider'], 'sim');
    assert.deepEqual(served.attributes['gen_ai.response.finish_reasons'], ['stop']);
    assert.equal(served.attributes['error.type'], undefined);
    assert.equal(requestSpan?.name, 'chat chat');
    assert.equal(requestSpan?.attributes['gen_ai.request.stream'], true);
    assert.equal(requestSpan?.attributes['gen_ai.usage.output_tokens'], 7);
    assert.equal(traceparentOf(broken.received[before.flaky]?.headers.traceparent).parentId, failed.spanId);
    assert.equal(traceparentOf(simulator.received[before.sim]?.headers.traceparent).parentId, served.spanId);
    assert.equal(failed.traceId, requestSpan?.traceId);
  });
});

describe('Tracing options', () => {
  let simulator: OpenAiSimulator;
  let broken: OpenAiSimulator;
  let receiver: OtlpReceiver;

  before(async () => {
    simulator = await startOpenAiSimulator();
    broken = await startOpenAiSimulator();
    receiver = await startOtlpReceiver();
  });

  after(async () => {
    await simulator.close();
    await broken.close();
    await receiver.close();
  });

  test('prompts and answers go on the request span only with OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true', async () => {
    const gateway = await gatewayWithEnv(otlpEnv(receiver, { OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' }), { providers: providers(simulator, broken), models });
    try {
      const id = await chat(gateway, { model: 'priced' });
      const [span] = await receiver.waitFor((candidate) => candidate.attributes['switchyard.request_id'] === id, 1);
      assert.deepEqual(JSON.parse(String(span?.attributes['gen_ai.input.messages'])), [{ role: 'user', parts: [{ type: 'text', content: 'a secret prompt' }] }]);
      assert.deepEqual(JSON.parse(String(span?.attributes['gen_ai.output.messages'])), [{ role: 'assistant', parts: [{ type: 'text', content: 'Hello from the simulator.' }], finish_reason: 'stop' }]);
    } finally {
      await gateway.stop();
    }
  });

  test('a sampler that drops the trace exports nothing, and still sends an unsampled traceparent upstream', async () => {
    const gateway = await gatewayWithEnv(otlpEnv(receiver, { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }), { providers: providers(simulator, broken), models });
    try {
      const id = await chat(gateway, { model: 'priced' });
      await gateway.stop();
      assert.equal(receiver.spans.filter((span) => span.attributes['switchyard.request_id'] === id).length, 0);
      assert.equal(traceparentOf(simulator.received.at(-1)?.headers.traceparent).flags, '00');
    } finally {
      await gateway.stop();
    }
  });

  test("with tracing off, a client's trace context reaches the provider unchanged and a malformed one is dropped", async () => {
    const gateway = await startTestGateway({ providers: providers(simulator, broken), models });
    try {
      const traceparent = `00-${clientTraceId}-${clientSpanId}-01`;
      await chat(gateway, { model: 'priced' }, { traceparent });
      assert.equal(simulator.received.at(-1)?.headers.traceparent, traceparent);
      await chat(gateway, { model: 'priced' }, { traceparent: 'not-a-trace' });
      assert.equal(simulator.received.at(-1)?.headers.traceparent, undefined);
    } finally {
      await gateway.stop();
    }
  });

  test('a bad OTEL_* value stops the start with a message naming the variable', async () => {
    await assert.rejects(gatewayWithEnv(otlpEnv(receiver, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }), { providers: providers(simulator, broken), models }), /OTEL_EXPORTER_OTLP_PROTOCOL: .*not "grpc"/);
  });
});
