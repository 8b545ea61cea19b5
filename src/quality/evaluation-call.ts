import type { ChatRequest, ChatResponse } from '../core/canonical.js';
import { toGatewayError } from '../core/errors.js';
import { newRequestId } from '../core/request-id.js';
import type { RequestRecord } from '../ledger/ledger-record.js';
import type { Reservation } from '../limits/budget-service.js';
import { executeChat, type ExecutionContext } from '../routing/executor.js';
import { planRoute } from '../routing/plan-route.js';
import type { Principal } from '../server/auth/key-service.js';
import type { Gateway } from '../server/gateway.js';
import { newRequestRecord, settleRequestRecord } from '../server/request-record.js';
import { chatSpendSubject } from '../server/spend-control.js';
import { evaluationCustomer } from './evaluation-types.js';

export interface EvaluationCallResult {
  response: ChatResponse | undefined;
  /** The ledger record written for the call (cost, latency, status). */
  record: RequestRecord;
}

const evaluator: Principal = { kind: 'admin', key: undefined, role: 'admin' };
const neverAborted = new AbortController().signal;

/** Waits for room in the ledger queue rather than dropping the record of a call that was paid for. */
async function ledgerRoom(gateway: Gateway): Promise<void> {
  while (!gateway.ledger.hasRoom()) await gateway.ledger.flush();
}

/**
 * One evaluation call through the gateway's own pipeline, in process: the route plan (rules, ordering, privacy),
 * admission control, the attempt loop (retries, fallbacks, circuit breakers) and one ledger record, attributed to
 * the `switchyard:evaluation` customer. The response cache is skipped: an evaluation measures the candidate, not
 * a stored answer. Errors are returned in the record, never thrown.
 */
export async function callForEvaluation(gateway: Gateway, original: ChatRequest): Promise<EvaluationCallResult> {
  const { native: _native, ...rest } = original;
  const request: ChatRequest = { ...rest, stream: false };
  const startedAtMs = performance.now();
  const record = newRequestRecord({ id: newRequestId(), endpoint: 'chat', principal: evaluator, customer: evaluationCustomer, requestedModel: request.model, stream: false }, gateway.catalog.version);
  const context: ExecutionContext = { attempts: [], signal: neverAborted, health: gateway.health, label: request.model };
  let status = 200;
  let errorCode: string | null = null;
  let reservation: Reservation | undefined;
  let response: ChatResponse | undefined;
  try {
    const plan = planRoute({ registry: gateway.registry, stats: gateway.health, request, subject: { tags: {}, customer: evaluationCustomer, team: null, headers: {} } });
    record.route = plan.route ?? null;
    if (plan.routeConfig?.promptCache === 'auto' || gateway.config.models[request.model]?.promptCache === 'auto') request.promptCache = 'auto';
    if (plan.routeConfig) {
      context.retry = plan.routeConfig.retry;
      context.maxAttempts = plan.routeConfig.maxAttempts;
    }
    reservation = (await gateway.spend.admit(chatSpendSubject(request, evaluator, evaluationCustomer, plan.targets))).reservation;
    const options = { ...(plan.requestFor ? { requestFor: plan.requestFor } : {}), ...(plan.check ? { check: plan.check } : {}) };
    response = (await executeChat(request, plan.targets, context, options)).response;
  } catch (caught) {
    const error = toGatewayError(caught);
    if (error.code === 'internal_error') gateway.logger.error('evaluation call failed', { requestId: record.id, error: error.cause ?? error });
    status = error.status;
    errorCode = error.code;
  } finally {
    settleRequestRecord(record, context.attempts, status, errorCode, startedAtMs);
    reservation?.settle(record.costUsd).catch((error: unknown) => gateway.logger.error('budget settlement failed', { requestId: record.id, error }));
    await ledgerRoom(gateway);
    gateway.ledger.enqueue(record);
  }
  return { response, record };
}
