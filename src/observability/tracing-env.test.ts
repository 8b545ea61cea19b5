import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { tracingFromEnv } from './tracing-env.js';

const always = { ratio: 1, parentBased: true };

describe('tracing from the OTEL_* environment', () => {
  test('is off with nothing set, with OTEL_TRACES_EXPORTER=none, and with OTEL_SDK_DISABLED=true', () => {
    assert.equal(tracingFromEnv({}), undefined);
    assert.equal(tracingFromEnv({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }), undefined);
    assert.equal(tracingFromEnv({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' }), undefined);
  });

  test('is on with the otlp exporter or an OTLP endpoint, over protobuf unless http/json is asked for', () => {
    assert.deepEqual(tracingFromEnv({ OTEL_TRACES_EXPORTER: 'otlp' }), { protocol: 'http/protobuf', captureContent: false, sampling: always });
    assert.deepEqual(tracingFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }), { protocol: 'http/json', captureContent: false, sampling: always });
    assert.deepEqual(tracingFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' }), { protocol: 'http/protobuf', captureContent: false, sampling: always });
    assert.deepEqual(tracingFromEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' }), { protocol: 'http/protobuf', captureContent: true, sampling: always });
  });

  test('refuses values it cannot honour, naming the variable', () => {
    const on = { OTEL_TRACES_EXPORTER: 'otlp' };
    assert.throws(() => tracingFromEnv({ OTEL_TRACES_EXPORTER: 'zipkin' }), /OTEL_TRACES_EXPORTER: .*not "zipkin"/);
    assert.throws(() => tracingFromEnv({ ...on, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }), /OTEL_EXPORTER_OTLP_PROTOCOL: .*not "grpc"/);
    assert.throws(() => tracingFromEnv({ ...on, OTEL_TRACES_SAMPLER: 'sometimes' }), /OTEL_TRACES_SAMPLER: unknown sampler "sometimes"/);
    assert.throws(() => tracingFromEnv({ ...on, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '10%' }), /OTEL_TRACES_SAMPLER_ARG: expected a ratio from 0 to 1, got "10%"/);
    assert.throws(() => tracingFromEnv({ ...on, OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'yes' }), /OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: expected true or false/);
  });

  test('reads the sampler: a ratio, whether a parent decides, and the SDK defaults', () => {
    const on = { OTEL_TRACES_EXPORTER: 'otlp' };
    const sampling = (env: Record<string, string>) => tracingFromEnv({ ...on, ...env })?.sampling;
    assert.deepEqual(sampling({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }), { ratio: 0.1, parentBased: true });
    assert.deepEqual(sampling({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }), { ratio: 0.25, parentBased: false });
    assert.deepEqual(sampling({ OTEL_TRACES_SAMPLER: 'traceidratio' }), { ratio: 1, parentBased: false });
    assert.deepEqual(sampling({ OTEL_TRACES_SAMPLER: 'always_off', OTEL_TRACES_SAMPLER_ARG: '0.5' }), { ratio: 0, parentBased: false });
    assert.deepEqual(sampling({ OTEL_TRACES_SAMPLER: 'parentbased_always_off' }), { ratio: 0, parentBased: true });
    assert.deepEqual(sampling({ OTEL_TRACES_SAMPLER: 'always_on' }), { ratio: 1, parentBased: false });
    assert.deepEqual(sampling({}), always);
  });
});
