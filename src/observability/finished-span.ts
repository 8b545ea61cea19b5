import { SpanKind, SpanStatusCode, type Attributes, type HrTime, type SpanContext } from '@opentelemetry/api';
import { getNumberFromEnv, hrTimeDuration, millisToHrTime, TraceState, type InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { attemptAttributeKeys, requestAttributeKeys, type SpanData } from './span-data.js';

/**
 * The span limits of the OpenTelemetry SDK, from the same variables: at most `countLimit` attributes a span (128 by
 * default), string values cut to `valueLengthLimit` characters (no limit by default).
 */
export interface SpanLimits {
  countLimit: number;
  valueLengthLimit: number;
}

export function spanLimitsFromEnv(): SpanLimits {
  return {
    countLimit: getNumberFromEnv('OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT') ?? getNumberFromEnv('OTEL_ATTRIBUTE_COUNT_LIMIT') ?? 128,
    valueLengthLimit: getNumberFromEnv('OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT') ?? getNumberFromEnv('OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT') ?? Number.POSITIVE_INFINITY,
  };
}

const sampled = 1;
const unset = { code: SpanStatusCode.UNSET };
const failed = { code: SpanStatusCode.ERROR };

/** A value with its strings cut to `length` characters, as the SDK cuts them. */
function limited<T extends string | number | boolean | string[]>(value: T, length: number): T {
  if (typeof value === 'string') return (value.length > length ? value.slice(0, length) : value) as T;
  if (Array.isArray(value) && value.some((item) => item.length > length)) return value.map((item) => item.slice(0, length)) as T;
  return value;
}

/**
 * A finished span as the SDK's span processors and exporters read it (`ReadableSpan`), made straight from the data the
 * request path sent: the ids, times and attributes are already final, so the SDK's live span (which checks every
 * attribute as it is set and tracks its own clock) has nothing to add.
 */
class FinishedSpan implements ReadableSpan {
  readonly kind: SpanKind;
  readonly name: string;
  readonly parentSpanContext: SpanContext | undefined;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly duration: HrTime;
  readonly status: { code: SpanStatusCode };
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
  readonly links = [];
  readonly events = [];
  readonly droppedEventsCount = 0;
  readonly droppedLinksCount = 0;
  readonly ended = true;
  private readonly context: SpanContext;

  constructor(
    data: SpanData,
    readonly resource: Resource,
    readonly instrumentationScope: InstrumentationScope,
    limits: SpanLimits,
  ) {
    const [kind, name, traceId, spanId, parentSpanId, parentRemote, traceState, startMs, endMs, error, values] = data;
    const state = traceState ? new TraceState(traceState) : undefined;
    this.kind = kind === 'server' ? SpanKind.SERVER : SpanKind.CLIENT;
    this.name = name;
    this.context = { traceId, spanId, traceFlags: sampled, ...(state ? { traceState: state } : {}) };
    this.parentSpanContext = parentSpanId === null ? undefined : { traceId, spanId: parentSpanId, traceFlags: sampled, isRemote: parentRemote, ...(state ? { traceState: state } : {}) };
    this.startTime = millisToHrTime(startMs);
    this.endTime = millisToHrTime(Math.max(startMs, endMs));
    this.duration = hrTimeDuration(this.startTime, this.endTime);
    this.status = error ? failed : unset;
    const keys = kind === 'server' ? requestAttributeKeys : attemptAttributeKeys;
    const attributes: Attributes = {};
    let count = 0;
    let dropped = 0;
    for (let index = 0; index < values.length; index += 1) {
      const value = values[index];
      if (value === null || value === undefined) continue;
      if (count >= limits.countLimit) {
        dropped += 1;
        continue;
      }
      attributes[keys[index] as string] = limited(value, limits.valueLengthLimit);
      count += 1;
    }
    this.attributes = attributes;
    this.droppedAttributesCount = dropped;
  }

  spanContext(): SpanContext {
    return this.context;
  }
}

export function finishedSpan(data: SpanData, resource: Resource, scope: InstrumentationScope, limits: SpanLimits): ReadableSpan {
  return new FinishedSpan(data, resource, scope, limits);
}
