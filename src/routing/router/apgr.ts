/**
 * Routing quality by RouteLLM's definitions (arXiv 2406.18665): PGR at a threshold is
 * (router quality - weak quality) / (strong quality - weak quality); APGR is the area under PGR plotted against the
 * share of calls sent to the strong model; CPT(x) is the smallest strong share at which PGR reaches x.
 */

export interface Outcome {
  strong: number;
  weak: number;
}

export interface RoutingFigures {
  apgr: number;
  /** Strong-call share, 0..1, needed to recover half the quality gap. */
  cpt50: number;
  cpt80: number;
  strongMean: number;
  weakMean: number;
  count: number;
}

/**
 * PGR after sending the k highest-scored prompts to the strong model, for k = 0..n. A threshold cannot split prompts
 * of equal score, so inside a run of ties PGR moves linearly: the expectation over any order of the tied prompts.
 */
export function pgrCurve(scores: ArrayLike<number>, outcomes: Outcome[]): Float64Array {
  const count = outcomes.length;
  if (scores.length !== count) throw new Error(`pgrCurve: ${scores.length} scores for ${count} outcomes`);
  if (count === 0) throw new Error('No rows to evaluate.');
  let strongSum = 0;
  let weakSum = 0;
  for (const outcome of outcomes) {
    strongSum += outcome.strong;
    weakSum += outcome.weak;
  }
  const gap = (strongSum - weakSum) / count;
  if (Math.abs(gap) < 1e-12) throw new Error('The strong and the weak model have the same mean score on this data, so there is no quality gap to recover.');
  const order = Array.from({ length: count }, (_, index) => index).sort((left, right) => (scores[right] as number) - (scores[left] as number));
  const curve = new Float64Array(count + 1);
  let gained = 0;
  let start = 0;
  while (start < count) {
    let end = start;
    let groupGain = 0;
    const value = scores[order[start] as number] as number;
    while (end < count && scores[order[end] as number] === value) {
      const outcome = outcomes[order[end] as number] as Outcome;
      groupGain += outcome.strong - outcome.weak;
      end += 1;
    }
    const size = end - start;
    for (let step = 1; step <= size; step += 1) curve[start + step] = (gained + (groupGain * step) / size) / count / gap;
    gained += groupGain;
    start = end;
  }
  return curve;
}

/** Trapezoid area under a PGR curve sampled at shares 0, 1/n, ..., 1. */
export function areaUnder(curve: Float64Array): number {
  const steps = curve.length - 1;
  let area = 0;
  for (let index = 1; index <= steps; index += 1) area += ((curve[index - 1] as number) + (curve[index] as number)) / 2;
  return area / steps;
}

/** Smallest share k/n at which PGR reaches `target`. */
export function callsToReach(curve: Float64Array, target: number): number {
  const steps = curve.length - 1;
  for (let index = 0; index <= steps; index += 1) if ((curve[index] as number) >= target - 1e-12) return index / steps;
  return 1;
}

export function routingFigures(scores: ArrayLike<number>, outcomes: Outcome[]): RoutingFigures {
  const curve = pgrCurve(scores, outcomes);
  const count = outcomes.length;
  return {
    apgr: areaUnder(curve),
    cpt50: callsToReach(curve, 0.5),
    cpt80: callsToReach(curve, 0.8),
    strongMean: outcomes.reduce((sum, outcome) => sum + outcome.strong, 0) / count,
    weakMean: outcomes.reduce((sum, outcome) => sum + outcome.weak, 0) / count,
    count,
  };
}

/** The baselines every router is shown beside: random routing, and "longer prompts go to the strong model". */
export function baselineFigures(prompts: string[], outcomes: Outcome[]): { random: RoutingFigures; length: RoutingFigures } {
  return {
    random: routingFigures(new Float64Array(outcomes.length), outcomes),
    length: routingFigures(prompts.map((prompt) => prompt.length), outcomes),
  };
}
