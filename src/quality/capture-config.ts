import { z } from 'zod';

/** Whether and how requests of a model, a route or a key are captured. */
export const capturePolicySchema = z
  .object({
    /** Share of requests captured, 0..1. */
    sample: z.number().min(0).max(1).default(1),
    /** Store the canonical request and the answer; false keeps only the fact that the request was sampled. */
    bodies: z.boolean().default(true),
    /** Run the privacy detector's redaction on the bodies before they are stored. */
    redact: z.boolean().default(false),
    /** Days before the retention sweep deletes the capture (the ledger record stays). */
    retentionDays: z.number().positive().default(30),
  })
  .strict();

const keyCaptureSchema = capturePolicySchema
  .extend({
    /** Applies to keys that carry every one of these tags. */
    tags: z.record(z.string()).refine((tags) => Object.keys(tags).length > 0, 'name at least one key tag'),
  })
  .strict();

/** Top-level `capture`: rules for key tags, and how captures are written. */
export const captureSettingsSchema = z
  .object({
    keys: z.array(keyCaptureSchema).default([]),
    /** Largest body (JSON before compression) stored; a larger one keeps only its size and is marked truncated. */
    maxBodyBytes: z.number().int().positive().default(1_048_576),
    /** Captures waiting to be written; when full, new captures are dropped and counted, requests never wait. */
    maxQueued: z.number().int().positive().default(10_000),
    batchSize: z.number().int().positive().default(200),
    flushIntervalMs: z.number().int().positive().default(500),
    /** How often expired captures are deleted. */
    sweepIntervalMs: z.number().int().positive().default(3_600_000),
  })
  .strict();

const metricSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('boolean') }).strict(),
  z.object({ type: z.literal('float'), min: z.number().optional(), max: z.number().optional() }).strict(),
  /** A corrected answer: a string, or `{text, toolCalls}`. */
  z.object({ type: z.literal('demonstration') }).strict(),
]);

/** Feedback metrics clients may send to POST /v1/feedback, by name. */
export const metricsSchema = z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'metric names use letters, digits, _ . - (at most 64)'), metricSchema);

export type CapturePolicy = z.infer<typeof capturePolicySchema>;
export type CaptureSettings = z.infer<typeof captureSettingsSchema>;
export type MetricDefinition = z.infer<typeof metricSchema>;
