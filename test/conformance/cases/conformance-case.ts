import type { ChatRequest } from '../../../src/core/canonical.js';
import type { UpstreamRequest } from '../../../src/core/provider.js';
import type { Capability } from '../results.js';
import type { ConformanceRow } from '../rows.js';
import type { JsonBody } from '../wire-kit.js';

/** One shared case, run against every row. Its id (`<capability>/<case>`) is what skips.ts and known-issues.ts name. */
export interface ConformanceCase {
  capability: Capability;
  id: string;
  /** Reads as a sentence after the row's name. */
  title: string;
  /** A reason when the case has nothing to test for this row (shown as n/a, not as a skip). */
  notApplicable?(row: ConformanceRow): string | undefined;
  run(row: ConformanceRow): void | Promise<void>;
}

export async function buildChat(row: ConformanceRow, request: ChatRequest): Promise<{ upstream: UpstreamRequest; body: JsonBody }> {
  const upstream = await row.adapter.buildChatRequest(request, row.kit.upstreamModel, row.kit.endpoint);
  const parsed: unknown = JSON.parse(upstream.body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('the request body is not a JSON object');
  return { upstream, body: parsed as JsonBody };
}

/** A response body as the HTTP client hands it over: parsed from the JSON text the provider sent. */
export function overTheWire(body: unknown): unknown {
  return JSON.parse(JSON.stringify(body)) as unknown;
}
