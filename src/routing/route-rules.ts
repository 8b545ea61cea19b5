import type { RouteRule } from '../config/schema.js';
import type { ChatRequest } from '../core/canonical.js';
import { roughRequestTokens } from '../ledger/token-estimator.js';

/** What rules may look at: who is asking and what the request is. */
export interface RuleSubject {
  tags: Record<string, string>;
  customer: string | null;
  team: string | null;
  headers: Record<string, string | string[] | undefined>;
}

function hasImages(request: ChatRequest): boolean {
  return request.messages.some((message) => message.role === 'user' && message.content.some((part) => part.type === 'image'));
}

function matches(rule: RouteRule, request: ChatRequest, subject: RuleSubject): boolean {
  const when = rule.when;
  if (when.tags && !Object.entries(when.tags).every(([tag, value]) => subject.tags[tag] === value)) return false;
  if (when.customer && (subject.customer === null || !when.customer.includes(subject.customer))) return false;
  if (when.team && (subject.team === null || !when.team.includes(subject.team))) return false;
  if (when.headers && !Object.entries(when.headers).every(([name, value]) => subject.headers[name.toLowerCase()] === value)) return false;
  if (when.hasTools !== undefined && when.hasTools !== (request.tools !== undefined && request.tools.length > 0)) return false;
  if (when.hasImages !== undefined && when.hasImages !== hasImages(request)) return false;
  if (when.minPromptTokens !== undefined || when.maxPromptTokens !== undefined) {
    const tokens = roughRequestTokens(request);
    if (when.minPromptTokens !== undefined && tokens < when.minPromptTokens) return false;
    if (when.maxPromptTokens !== undefined && tokens > when.maxPromptTokens) return false;
  }
  return true;
}

/** The first rule whose conditions all hold names the model or route to use instead. Pure. */
export function pickRule(rules: readonly RouteRule[] | undefined, request: ChatRequest, subject: RuleSubject): string | undefined {
  return rules?.find((rule) => matches(rule, request, subject))?.use;
}
