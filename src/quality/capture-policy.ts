import type { Config, RouteConfig } from '../config/schema.js';
import type { CapturePolicy } from './capture-config.js';

export interface CaptureSubject {
  /** The route the request went through, when its model name is a route. */
  routeConfig: RouteConfig | undefined;
  requestedModel: string;
  keyTags: Record<string, string>;
}

/** The most specific policy that applies: the route's, else the requested model's, else the first matching key rule. */
export function capturePolicyFor(config: Config, subject: CaptureSubject): CapturePolicy | undefined {
  if (subject.routeConfig?.capture) return subject.routeConfig.capture;
  const modelPolicy = config.models[subject.requestedModel]?.capture;
  if (modelPolicy) return modelPolicy;
  return config.capture.keys.find((rule) => Object.entries(rule.tags).every(([name, value]) => subject.keyTags[name] === value));
}

/** Whether this request is in the sample. */
export function isSampled(policy: CapturePolicy, random: () => number = Math.random): boolean {
  return policy.sample >= 1 || (policy.sample > 0 && random() < policy.sample);
}
