import { outboundPolicy } from '../providers/shared/outbound/outbound-policy.js';

type Env = Record<string, string | undefined>;

/**
 * The URL the trace exporter will post to, as the OpenTelemetry SDK works it out: the traces endpoint as given, else
 * the base endpoint with `/v1/traces` appended, else the collector's default on localhost.
 */
export function otlpTracesUrl(env: Env): { url: string; variable: string } {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return { url: traces, variable: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' };
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (base) return { url: `${base.replace(/\/+$/, '')}/v1/traces`, variable: 'OTEL_EXPORTER_OTLP_ENDPOINT' };
  return { url: 'http://localhost:4318/v1/traces', variable: 'OTEL_EXPORTER_OTLP_ENDPOINT (unset: the default)' };
}

/**
 * Checks the exporter's endpoint against the outbound policy once, at start, since the SDK's own HTTP client makes
 * the calls: it is an operator's URL, so private and loopback addresses pass, and cloud-metadata and link-local ones
 * stop the start with the variable named.
 */
export async function checkOtlpEndpoint(env: Env): Promise<void> {
  const { url, variable } = otlpTracesUrl(env);
  const refused = await outboundPolicy().refuseResolvedUrl(url, 'configured');
  if (refused !== undefined) throw new Error(`${variable}: ${refused}`);
}
