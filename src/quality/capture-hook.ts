import type { ChatRequest, ChatResponse, Usage } from '../core/canonical.js';
import type { Config, RouteConfig } from '../config/schema.js';
import type { RequestRecord } from '../ledger/ledger-record.js';
import type { CapturePolicy } from './capture-config.js';
import type { CapturedAnswer } from './captured-request.js';
import { capturePolicyFor, isSampled } from './capture-policy.js';
import type { CaptureWriter } from './capture-writer.js';

const zeroUsage: Usage = { inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 };

/** One sampled request on its way: holds the final answer until the request is settled, then hands both to the writer. */
export class RequestCapture {
  private answer: CapturedAnswer | null = null;

  private constructor(private readonly policy: CapturePolicy) {}

  /**
   * A capture when a policy applies to the request and samples it. A route that redacts personal data before
   * providers see it never stores it either, whatever the capture policy says.
   */
  static decide(config: Config, subject: { routeConfig: RouteConfig | undefined; requestedModel: string; keyTags: Record<string, string> }): RequestCapture | undefined {
    const policy = capturePolicyFor(config, subject);
    if (!policy || !isSampled(policy)) return undefined;
    const redacts = subject.routeConfig?.privacy === 'redact' || subject.keyTags.privacy === 'private-only';
    return new RequestCapture(redacts && !policy.redact ? { ...policy, redact: true } : policy);
  }

  /** The answer the client received (served, cached or assembled from the stream). */
  answered(response: ChatResponse | undefined, usage: Usage | undefined): void {
    if (!response) return;
    const { raw: _raw, ...counts } = usage ?? response.usage ?? zeroUsage;
    this.answer = { text: response.text, toolCalls: response.toolCalls, finishReason: response.finishReason, usage: counts };
  }

  /** Queues the capture for the settled ledger record (a full queue drops it; see CaptureWriter). */
  finish(writer: CaptureWriter, record: RequestRecord, request: ChatRequest): void {
    writer.offer({ requestId: record.id, createdAt: record.startedAt, policy: this.policy, request, answer: this.answer });
  }
}
