import type { ChatRequest } from '../core/canonical.js';
import { roughRequestTokens } from '../ledger/token-estimator.js';
import { upperBoundCost } from '../limits/upper-bound-cost.js';
import type { ModelRegistry } from '../routing/model-registry.js';

/** The output cap assumed for a call without `maxTokens` before any call to its model has been seen. */
const assumedMaxTokens = 4096;

/**
 * The spend cap of one run. Before a call starts it reserves what the call could cost: the most any earlier call
 * to the same model cost in this run, or, before the first, the upper bound from the model's price, prompt and
 * output cap. A call that could take spent + reserved past the cap is not started.
 */
export class EvaluationBudget {
  private spent: number;
  private reserved = 0;
  private readonly highest = new Map<string, number>();
  private refused = false;

  constructor(
    private readonly capUsd: number | undefined,
    private readonly registry: ModelRegistry,
    alreadySpentUsd: number,
  ) {
    this.spent = alreadySpentUsd;
  }

  private estimate(request: ChatRequest): number {
    const seen = this.highest.get(request.model);
    if (seen !== undefined) return seen;
    let bound = 0;
    try {
      for (const deployment of this.registry.resolve(request.model).deployments) {
        bound = Math.max(bound, upperBoundCost(deployment.price, roughRequestTokens(request), request.maxTokens, assumedMaxTokens));
      }
    } catch {
      return 0;
    }
    return bound;
  }

  /** Reserves the call's estimate; undefined (and the budget counts as reached) when the call could pass the cap. */
  reserve(request: ChatRequest): number | undefined {
    const estimate = this.estimate(request);
    if (this.capUsd !== undefined && this.spent + this.reserved + estimate > this.capUsd) {
      this.refused = true;
      return undefined;
    }
    this.reserved += estimate;
    return estimate;
  }

  settle(model: string, reservedUsd: number, costUsd: number): void {
    this.reserved -= reservedUsd;
    this.spent += costUsd;
    this.highest.set(model, Math.max(this.highest.get(model) ?? 0, costUsd));
  }

  get spentUsd(): number {
    return this.spent;
  }

  get reached(): boolean {
    return this.refused;
  }
}
