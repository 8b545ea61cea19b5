import type { RouteConfig } from '../config/schema.js';
import type { Deployment } from '../core/deployment.js';

/** What a policy may know about a request: an estimate of its size, for cost ordering. */
export interface RequestEstimate {
  inputTokens: number;
  outputTokens: number;
}

/** Observed behaviour of a deployment, for latency ordering. */
export interface DeploymentStats {
  latencyMs(model: string): number | undefined;
}

export interface PolicyInput {
  route: RouteConfig;
  candidates: Deployment[];
  estimate: RequestEstimate;
  stats: DeploymentStats;
  /** A number in [0, 1) for weighted choice and exploration; injected so policies stay pure. */
  random: number;
}

export function expectedCost(deployment: Deployment, estimate: RequestEstimate): number {
  const price = deployment.price;
  if (!price) return Number.POSITIVE_INFINITY;
  return (estimate.inputTokens * price.input + estimate.outputTokens * price.output) / 1_000_000 + (price.perRequest ?? 0);
}

function weightOf(route: RouteConfig, model: string): number {
  if (route.strategy !== 'weighted') return 1;
  for (const target of route.targets) {
    if (typeof target !== 'string' && target.model === model) return target.weight;
  }
  return 1;
}

/** Picks the first target by weight, then keeps the others in configured order as fallbacks. */
function weightedOrder(input: PolicyInput): Deployment[] {
  const total = input.candidates.reduce((sum, deployment) => sum + weightOf(input.route, deployment.model), 0);
  let point = input.random * total;
  let chosen = 0;
  for (let index = 0; index < input.candidates.length; index += 1) {
    point -= weightOf(input.route, (input.candidates[index] as Deployment).model);
    if (point < 0) {
      chosen = index;
      break;
    }
  }
  const first = input.candidates[chosen] as Deployment;
  return [first, ...input.candidates.filter((_, index) => index !== chosen)];
}

const explorationRate = 0.05;

function fastestOrder(input: PolicyInput): Deployment[] {
  const measured = input.candidates.map((deployment, index) => ({ deployment, index, latency: input.stats.latencyMs(deployment.model) }));
  // Unmeasured targets go first so every target gets measured; a small share of traffic keeps exploring.
  const ordered = measured.sort((left, right) => (left.latency ?? -1) - (right.latency ?? -1) || left.index - right.index).map((entry) => entry.deployment);
  if (input.random < explorationRate && ordered.length > 1) {
    const pick = Math.floor((input.random / explorationRate) * ordered.length);
    const [explored] = ordered.splice(pick, 1);
    ordered.unshift(explored as Deployment);
  }
  return ordered;
}

/** Orders a route's targets into the attempts to make. Pure: same input, same order. */
export function orderTargets(input: PolicyInput): Deployment[] {
  switch (input.route.strategy) {
    case 'fallback':
      return input.candidates;
    case 'weighted':
      return weightedOrder(input);
    // A cascade tries the cheapest first; the executor moves on when an answer fails its checks.
    // A router starts from the cost order too; plan-route moves the target the router picks to the front.
    case 'router':
    case 'cascade':
    case 'cheapest':
      return input.candidates
        .map((deployment, index) => ({ deployment, index, cost: expectedCost(deployment, input.estimate) }))
        .sort((left, right) => left.cost - right.cost || left.index - right.index)
        .map((entry) => entry.deployment);
    case 'fastest':
      return fastestOrder(input);
  }
}
