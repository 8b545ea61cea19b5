import type { ChatRequest } from '../core/canonical.js';
import type { RequestRecord } from '../ledger/ledger-record.js';
import { executeChat } from '../routing/executor.js';
import type { RoutePlan } from '../routing/plan-route.js';
import type { Gateway } from './gateway.js';

/**
 * Sends the request to the route's shadow candidate after the client was answered. The answer is only recorded:
 * its attempt joins the request's ledger record flagged `shadow`, outside the request's totals, and the record is
 * written once the shadow attempt ends (shutdown waits for it).
 */
export function runShadow(gateway: Gateway, record: RequestRecord, plan: RoutePlan, request: ChatRequest): void {
  const shadow = plan.shadow;
  if (!shadow) return;
  const attempts = [...record.attempts];
  const context = { attempts, signal: AbortSignal.timeout(shadow.timeouts.totalMs), label: shadow.model };
  const sent = plan.requestFor ? plan.requestFor(shadow) : request;
  const work = executeChat({ ...sent, stream: false }, [shadow], context)
    .catch(() => undefined)
    .finally(() => {
      for (const attempt of attempts.slice(record.attempts.length)) record.attempts.push({ ...attempt, shadow: true });
      gateway.ledger.enqueue(record);
      gateway.background.delete(work);
    });
  gateway.background.add(work);
}
