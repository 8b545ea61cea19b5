import type { RouteConfig } from '../config/schema.js';
import type { ChatRequest, ChatResponse } from '../core/canonical.js';
import type { Deployment } from '../core/deployment.js';
import { roughRequestTokens } from '../ledger/token-estimator.js';
import { cascadeCheck } from './cascade-check.js';
import type { ModelRegistry } from './model-registry.js';
import { orderTargets, type DeploymentStats } from './policies.js';
import { applyPrivacy } from './privacy/privacy-policy.js';
import { pickRule, type RuleSubject } from './route-rules.js';

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
}

export interface PlanInput {
  registry: ModelRegistry;
  stats: DeploymentStats;
  request: ChatRequest;
  subject: RuleSubject;
  /** Privacy required by the caller's key, applied on top of the route's. */
  keyPrivacy?: 'off' | 'private-only';
  random?: () => number;
}

const privacyStrength = { off: 0, redact: 1, 'private-only': 2, reject: 3 } as const;

export function planRoute(input: PlanInput): RoutePlan {
  const random = input.random ?? Math.random;
  let resolution = input.registry.resolve(input.request.model);
  const redirect = pickRule(resolution.routeConfig?.rules, input.request, input.subject);
  if (redirect) resolution = input.registry.resolve(redirect);
  const routeConfig = resolution.routeConfig;
  const ordered = routeConfig
    ? orderTargets({ route: routeConfig, candidates: resolution.deployments, estimate: { inputTokens: roughRequestTokens(input.request), outputTokens: input.request.maxTokens ?? 256 }, stats: input.stats, random: random() })
    : resolution.deployments;
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
  };
}
