import type { TraceSampling } from './trace-sampling.js';

/** Tracing as the standard OpenTelemetry environment variables ask for it. */
export interface TracingSettings {
  protocol: 'http/json' | 'http/protobuf';
  /** `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`: prompts and answers go on request spans. */
  captureContent: boolean;
  /** `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG`; the default is `parentbased_always_on`. */
  sampling: TraceSampling;
}

type Env = Record<string, string | undefined>;

const samplers = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'];

function flag(env: Env, name: string): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new Error(`${name}: expected true or false, got "${env[name]}"`);
}

/** The sampler the variables name. A ratio sampler without `OTEL_TRACES_SAMPLER_ARG` samples everything, as the SDK's does. */
function samplingFrom(env: Env): TraceSampling {
  const sampler = env.OTEL_TRACES_SAMPLER?.trim() || 'parentbased_always_on';
  if (!samplers.includes(sampler)) throw new Error(`OTEL_TRACES_SAMPLER: unknown sampler "${sampler}"; use one of ${samplers.join(', ')}`);
  const parentBased = sampler.startsWith('parentbased_');
  if (sampler.endsWith('always_on')) return { ratio: 1, parentBased };
  if (sampler.endsWith('always_off')) return { ratio: 0, parentBased };
  const argument = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  if (!argument) return { ratio: 1, parentBased };
  const ratio = Number(argument);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) throw new Error(`OTEL_TRACES_SAMPLER_ARG: expected a ratio from 0 to 1, got "${argument}"`);
  return { ratio, parentBased };
}

/**
 * Off unless asked for: `OTEL_TRACES_EXPORTER=otlp`, or an OTLP endpoint set while the exporter is left unset.
 * `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none` keeps it off. A value Switchyard cannot honour is an error,
 * so a typo does not silently turn tracing off.
 */
export function tracingFromEnv(env: Env): TracingSettings | undefined {
  if (flag(env, 'OTEL_SDK_DISABLED')) return undefined;
  const exporter = env.OTEL_TRACES_EXPORTER?.trim();
  if (exporter === 'none') return undefined;
  if (exporter !== undefined && exporter !== '' && exporter !== 'otlp') throw new Error(`OTEL_TRACES_EXPORTER: Switchyard exports traces with otlp (or none), not "${exporter}"`);
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (exporter !== 'otlp' && !endpoint) return undefined;
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL || 'http/protobuf').trim();
  if (protocol !== 'http/json' && protocol !== 'http/protobuf') throw new Error(`OTEL_EXPORTER_OTLP_PROTOCOL: Switchyard sends OTLP over HTTP, http/protobuf or http/json, not "${protocol}"`);
  const sampling = samplingFrom(env);
  return { protocol, captureContent: flag(env, 'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT'), sampling };
}
