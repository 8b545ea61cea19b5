import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setOutboundPolicy } from '../providers/shared/outbound/outbound-policy.js';
import { outboundSchema } from '../providers/shared/outbound/outbound-config.js';
import { checkOtlpEndpoint, otlpTracesUrl } from './otlp-endpoint.js';

test('the traces URL follows the SDK: the traces endpoint, else the base endpoint with /v1/traces, else localhost', () => {
  assert.equal(otlpTracesUrl({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/custom' }).url, 'http://collector:4318/custom');
  assert.equal(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).url, 'http://collector:4318/v1/traces');
  assert.equal(otlpTracesUrl({}).url, 'http://localhost:4318/v1/traces');
});

test('an exporter endpoint on a metadata or link-local address stops the start, naming the variable; a private collector passes', async () => {
  setOutboundPolicy(outboundSchema.parse({}));
  await assert.rejects(checkOtlpEndpoint({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://169.254.169.254/v1/traces' }), /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: /);
  await assert.rejects(checkOtlpEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://metadata.google.internal' }), /OTEL_EXPORTER_OTLP_ENDPOINT: /);
  await checkOtlpEndpoint({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://10.0.0.7:4318/v1/traces' });
  await checkOtlpEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' });
});
