import { z } from 'zod';

const listenAddress = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

/** `prometheus:` in the config: the `/metrics` endpoint and how many label values it may grow. */
export const prometheusSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** A bearer token for `/metrics`; without one, the main port asks for an admin key. */
    key: z.string().min(16, 'use at least 16 characters for the metrics key').optional(),
    /** `host:port` of a separate listener that serves only `/metrics` (the main port then does not). */
    listen: z
      .string()
      .regex(listenAddress, 'expected host:port, for example 127.0.0.1:9464')
      .refine((value) => Number(value.slice(value.lastIndexOf(':') + 1)) <= 65535, 'the port must be at most 65535')
      .optional(),
    /** Adds per-customer request and cost series labelled with raw customer ids. Off: customer ids stay out of metrics. */
    customerLabels: z.boolean().default(false),
    /** Distinct values kept per label (model names, customers); later ones are counted under `other`. */
    maxLabelValues: z.number().int().positive().max(100_000).default(500),
  })
  .strict();

export type PrometheusConfig = z.infer<typeof prometheusSchema>;

/** Splits a validated `host:port`, unwrapping a bracketed IPv6 host. */
export function splitListen(listen: string): { host: string; port: number } {
  const colon = listen.lastIndexOf(':');
  const host = listen.slice(0, colon);
  return { host: host.startsWith('[') ? host.slice(1, -1) : host, port: Number(listen.slice(colon + 1)) };
}
