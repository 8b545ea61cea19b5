import { randomFillSync } from 'node:crypto';

/**
 * The sampling decision, made before any span exists, so a request the sampler drops costs a few string operations
 * instead of a span, a sampler call and id generation in the SDK. It follows the OpenTelemetry samplers named by
 * `OTEL_TRACES_SAMPLER`: `always_on` and `always_off` are ratios 1 and 0, and the `parentbased_` ones follow the
 * sampled flag of the client's `traceparent` when there is one.
 */
export interface TraceSampling {
  /** The share of traces without a parent (or of every trace, when not parent-based) that is recorded. */
  ratio: number;
  parentBased: boolean;
}

/** A client's W3C trace context, from its `traceparent` header. */
export interface TraceParent {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

const traceparentPattern = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const zeroTraceId = '0'.repeat(32);
const zeroSpanId = '0'.repeat(16);

/** The parent a `traceparent` names, or undefined when it is missing or malformed (the W3C spec says to ignore it then). */
export function parseTraceparent(header: string | string[] | undefined): TraceParent | undefined {
  if (typeof header !== 'string') return undefined;
  const match = traceparentPattern.exec(header);
  if (!match) return undefined;
  const [, version, traceId, spanId, flags] = match as unknown as [string, string, string, string, string];
  if (version === 'ff' || traceId === zeroTraceId || spanId === zeroSpanId) return undefined;
  return { traceId, spanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

/** Whether a trace is recorded. A ratio decision on a known trace id uses its last 32 bits, so every hop of one trace agrees. */
export function isSampled(sampling: TraceSampling, parent: TraceParent | undefined): boolean {
  if (parent && sampling.parentBased) return parent.sampled;
  if (sampling.ratio >= 1) return true;
  if (sampling.ratio <= 0) return false;
  const draw = parent ? Number.parseInt(parent.traceId.slice(24), 16) / 2 ** 32 : Math.random();
  return draw < sampling.ratio;
}

/** The headers that carry a trace context upstream: `traceparent`, and the client's `tracestate` when it sent one. */
export function traceHeaders(traceparent: string, tracestate: string | undefined): Record<string, string> {
  return tracestate ? { traceparent, tracestate } : { traceparent };
}

const poolBytes = 4096;

/** Random trace and span ids in hex, cut from a pool filled 4 KiB at a time rather than one small call per id. */
export class RandomIds {
  private readonly pool = Buffer.allocUnsafe(poolBytes);
  private at = poolBytes;

  private hex(bytes: number, zero: string): string {
    for (;;) {
      if (this.at + bytes > poolBytes) {
        randomFillSync(this.pool);
        this.at = 0;
      }
      const id = this.pool.toString('hex', this.at, this.at + bytes);
      this.at += bytes;
      if (id !== zero) return id;
    }
  }

  traceId(): string {
    return this.hex(16, zeroTraceId);
  }

  spanId(): string {
    return this.hex(8, zeroSpanId);
  }
}
