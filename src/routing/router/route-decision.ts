import type { ChatRequest } from '../../core/canonical.js';
import type { Deployment } from '../../core/deployment.js';
import type { PromptContext } from './features.js';
import type { RouterModel } from './router-model.js';

/** A route's `router:` settings. */
export interface RouterSettings {
  model: string;
  maxStrongShare?: number | undefined;
  minQuality?: number | undefined;
  shadow?: boolean | undefined;
}

/** What the router decided for one request; recorded in the ledger and the `x-switchyard-route-score` header. */
export interface RouterDecision {
  score: number;
  /** The bar the score was held to: a score threshold for `maxStrongShare`, a quality for `minQuality`. */
  threshold: number;
  /** The target the router picked (in shadow mode, the one it would have picked). */
  choice: string;
  shadow: boolean;
}

/** The text the router reads: the last user turn, with how many turns, tools and system prompts came with it. */
export function promptOf(request: ChatRequest): { prompt: string; context: PromptContext } {
  let prompt = '';
  let turns = 0;
  let hasSystem = false;
  for (const message of request.messages) {
    if (message.role === 'system') hasSystem = true;
    if (message.role !== 'user') continue;
    turns += 1;
    prompt = message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
  }
  return { prompt, context: { turns: Math.max(turns, 1), tools: request.tools?.length ?? 0, hasSystem } };
}

export interface DecisionInput {
  model: RouterModel;
  settings: RouterSettings;
  /** The route's targets, cheapest first. */
  byCost: Deployment[];
  request: ChatRequest;
}

/**
 * Picks the cheapest target good enough for the request. With `minQuality`, the cheapest target stands when its
 * predicted score clears the bar; with `maxStrongShare`, the weak target stands unless the router's score is above
 * the threshold calibrated so that that share of the training prompts would go to the strong one.
 */
export function decide(input: DecisionInput): { decision: RouterDecision; chosen: Deployment } {
  const { prompt, context } = promptOf(input.request);
  const weak = input.byCost[0] as Deployment;
  const strong = input.byCost[input.byCost.length - 1] as Deployment;
  const score = input.model.score(prompt, context);
  const shadow = input.settings.shadow === true;
  if (input.settings.minQuality !== undefined) {
    const quality = input.model.weakQualityOf(prompt, context) ?? 1 - score;
    const chosen = quality >= input.settings.minQuality ? weak : strong;
    return { decision: { score, threshold: input.settings.minQuality, choice: chosen.model, shadow }, chosen };
  }
  const threshold = input.model.thresholdFor(input.settings.maxStrongShare ?? 0.5);
  const chosen = score > threshold ? strong : weak;
  return { decision: { score, threshold, choice: chosen.model, shadow }, chosen };
}
