import type { RouteConfig } from '../config/schema.js';
import type { ChatRequest, ChatResponse } from '../core/canonical.js';
import type { Deployment } from '../core/deployment.js';
import { roughRequestTokens } from '../ledger/token-estimator.js';
import { cascadeCheck } from './cascade-check.js';
import type { ModelRegistry } from './model-registry.js';
import { orderTargets, type DeploymentStats } from './policies.js';
import { applyPrivacy } from './privacy/privacy-policy.js';
import { pickRule, type RuleSubject } from './route-rules.js';
import { decide, type RouterDecision } from './router/route-decision.js';
import type { RouterModels } from './router/router-models.js';

/** Everything the executor needs to run one request: ordered targets and how to treat each. */
export interface RoutePlan {
  route: string | undefined;
  routeConfig: RouteConfig | undefined;
  targets: Deployment[];
  requestFor: ((deployment: Deployment) => ChatRequest) | undefined;
  check: ((response: ChatResponse) => string | undefined) | undefined;
  /** A candidate that also gets this request, whose answer is only recorded. */
  shadow: Deployment | undefined;
  privacyFound: string[];
  /** What a `strategy: router` route decided (in shadow mode, what it would have). */
  router?: { decision: RouterDecision; chosen: Deployment };
}

export interface PlanInput {
  registry: ModelRegistry;
  stats: DeploymentStats;
  request: ChatRequest;
  subject: RuleSubject;
  /** Privacy required by the caller's key, applied on top of the route's. */
  keyPrivacy?: 'off' | 'private-only';
  random?: () => number;
  /** Loaded router models, for routes with `strategy: router`. */
  routers?: RouterModels;
}

/** A router route: the chosen target first, the rest (cheapest first) as fallbacks; in shadow mode, configured order. */
function routerOrder(routeConfig: RouteConfig, byCost: Deployment[], configured: Deployment[], input: PlanInput): { ordered: Deployment[]; router?: RoutePlan['router'] } {
  if (routeConfig.strategy !== 'router' || !input.routers || byCost.length === 0) return { ordered: byCost };
  const router = decide({ model: input.routers.get(routeConfig.router.model), settings: routeConfig.router, byCost, request: input.request });
  if (routeConfig.router.shadow) return { ordered: configured, router };
  return { ordered: [router.chosen, ...byCost.filter((deployment) => deployment !== router.chosen)], router };
}

const privacyStrength = { off: 0, redact: 1, 'private-only': 2, reject: 3 } as const;

export function planRoute(input: PlanInput): RoutePlan {
  const random = input.random ?? Math.random;
  let resolution = input.registry.resolve(input.request.model);
  const redirect = pickRule(resolution.routeConfig?.rules, input.request, input.subject);
  if (redirect) resolution = input.registry.resolve(redirect);
  const routeConfig = resolution.routeConfig;
  let ordered = routeConfig
    ? orderTargets({ route: routeConfig, candidates: resolution.deployments, estimate: { inputTokens: roughRequestTokens(input.request), outputTokens: input.request.maxTokens ?? 256 }, stats: input.stats, random: random() })
    : resolution.deployments;
  let router: RoutePlan['router'];
  if (routeConfig?.strategy === 'router') ({ ordered, router } = routerOrder(routeConfig, ordered, resolution.deployments, input));
  const routeMode = routeConfig?.privacy ?? 'off';
  const keyMode = input.keyPrivacy ?? 'off';
  const mode = privacyStrength[keyMode] > privacyStrength[routeMode] ? keyMode : routeMode;
  const privacy = applyPrivacy(mode, input.request, ordered);
  const shadowConfig = routeConfig?.shadow;
  const shadow = shadowConfig && random() < shadowConfig.sampleRate ? input.registry.deployment(shadowConfig.target) : undefined;
  return {
    route: resolution.route,
    routeConfig,
    targets: privacy.targets,
    requestFor: privacy.requestFor,
    check: routeConfig?.strategy === 'cascade' ? cascadeCheck(input.request) : undefined,
    shadow: shadow && (shadow.private || privacy.found.length === 0 || mode !== 'private-only') ? shadow : undefined,
    privacyFound: privacy.found,
    ...(router ? { router } : {}),
  };
}
