import { GatewayError } from '../../core/errors.js';
import { baselineFigures, routingFigures, type Outcome, type RoutingFigures } from './apgr.js';
import { trainTrees, type TreeTrainOptions } from './boosted-trees.js';
import { defaultFeatureOptions, dimensionOf, featurize, truncatePrompt, type FeatureOptions, type SparseVector } from './features.js';
import { defaultLinearOptions, seededRandom, shuffled, trainLogistic, type LinearHead } from './linear-model.js';
import { pickPair, type RouterRow } from './router-data.js';
import { blendedScore, encodeHead, type LengthBlend, type RouterModelFile } from './router-model.js';
import { percentileOf, quantilesOf } from './quantiles.js';
import { outOfFoldLinear, outOfFoldTrees, shapeRows, treeOptionsFor, type RouterFamily } from './train-families.js';
import { countWordRarity, encodeRarity } from './word-rarity.js';

export interface TrainRouterOptions {
  /** Names the data in error messages. */
  source: string;
  strong?: string;
  weak?: string;
  features?: FeatureOptions;
  epochs?: number;
  l2?: number;
  learningRate?: number;
  /** Tree settings; the default leaf size shrinks with small data sets (see `treeOptionsFor`). */
  trees?: Partial<TreeTrainOptions>;
  /** `auto` (the default) picks the family with the best held-out figures. */
  family?: RouterFamily | 'auto';
  /** Folds for the held-out scores that choose the family, calibrate thresholds and give the offline figures. */
  folds?: number;
  onProgress?: (message: string) => void;
  now?: () => Date;
}

export interface TrainedRouter {
  file: RouterModelFile;
  /** Figures of the held-out (out-of-fold) scores, beside the baselines. */
  heldOut: { router: RoutingFigures; random: RoutingFigures; length: RoutingFigures };
}

const minimumRows = 20;
const calibrationPoints = 1000;

interface Prepared {
  prompts: string[];
  outcomes: Outcome[];
  gainLabels: Float64Array;
  weakLabels: Float64Array;
  range: [number, number];
}

function prepare(rows: RouterRow[], strong: string, weak: string, source: string): Prepared {
  const usable = rows.filter((row) => row.scores[strong] !== undefined && row.scores[weak] !== undefined);
  if (usable.length < minimumRows) throw new GatewayError('invalid_request', `${source}: only ${usable.length} rows score both ${strong} and ${weak}; training needs at least ${minimumRows}`, { param: 'scores' });
  const outcomes = usable.map((row) => ({ strong: row.scores[strong] as number, weak: row.scores[weak] as number }));
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const outcome of outcomes) {
    low = Math.min(low, outcome.strong, outcome.weak);
    high = Math.max(high, outcome.strong, outcome.weak);
  }
  if (high === low) throw new GatewayError('invalid_request', `${source}: every score is ${low}; the data must show the models answering differently`, { param: 'scores' });
  const span = high - low;
  // The gain label maps (strong - weak) from [-span, span] to [0, 1], so judge scores and 1/0 correctness train alike.
  const gainLabels = Float64Array.from(outcomes, (outcome) => ((outcome.strong - outcome.weak) / span + 1) / 2);
  const weakLabels = Float64Array.from(outcomes, (outcome) => (outcome.weak - low) / span);
  return { prompts: usable.map((row) => row.prompt), outcomes, gainLabels, weakLabels, range: [low, high] };
}

function round(figures: RoutingFigures): { apgr: number; cpt50: number; cpt80: number } {
  return { apgr: Number(figures.apgr.toFixed(4)), cpt50: Number(figures.cpt50.toFixed(4)), cpt80: Number(figures.cpt80.toFixed(4)) };
}

const blendWeights = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

/**
 * Prompt length is a strong, cheap signal that a linear model over many sparse features under-uses; ranking by a
 * weighted mean of the model's percentile and the length percentile often beats either. The weight and the
 * direction of length are chosen on held-out scores, so data where length says nothing keeps weight 0.
 */
function chooseBlend(heldOutScores: Float64Array, data: Prepared): LengthBlend {
  const scoreQuantiles = quantilesOf(heldOutScores, calibrationPoints);
  const lengthQuantiles = quantilesOf(data.prompts.map((prompt) => prompt.length), calibrationPoints);
  let best: LengthBlend = { lengthWeight: 0, lengthSign: 1, scoreQuantiles, lengthQuantiles };
  let bestApgr = Number.NEGATIVE_INFINITY;
  const modelPercentiles = Float64Array.from(heldOutScores, (score) => percentileOf(scoreQuantiles, score));
  const lengthPercentiles = data.prompts.map((prompt) => percentileOf(lengthQuantiles, prompt.length));
  for (const lengthSign of [1, -1] as const) {
    for (const lengthWeight of blendWeights) {
      const scores = modelPercentiles.map((score, row) => (1 - lengthWeight) * score + lengthWeight * (lengthSign > 0 ? (lengthPercentiles[row] as number) : 1 - (lengthPercentiles[row] as number)));
      const { apgr } = routingFigures(scores, data.outcomes);
      // A blend must beat the plain model by a margin to be used: small held-out gains are noise.
      if (apgr > bestApgr + (lengthWeight === 0 ? 0 : 0.002)) {
        bestApgr = apgr;
        best = { lengthWeight, lengthSign, scoreQuantiles, lengthQuantiles };
      }
    }
  }
  return best;
}

interface Candidate {
  family: RouterFamily;
  blend: LengthBlend;
  blended: Float64Array;
  apgr: number;
}

function candidateOf(family: RouterFamily, heldOutScores: Float64Array, data: Prepared): Candidate {
  const blend = chooseBlend(heldOutScores, data);
  const blended = Float64Array.from(heldOutScores, (score, row) => blendedScore(blend, score, (data.prompts[row] as string).length));
  return { family, blend, blended, apgr: routingFigures(blended, data.outcomes).apgr };
}

/** The family with the best held-out APGR; a more complex one must win by a margin, since small gains are noise. */
function bestCandidate(candidates: Candidate[]): Candidate {
  return candidates.reduce((best, candidate) => (candidate.apgr > best.apgr + 0.002 ? candidate : best));
}

/**
 * Trains a router on rows of per-model scores. Held-out scores from k-fold training choose the model family and the
 * length blend, calibrate the thresholds (a model scores its own training prompts more confidently than new ones)
 * and give the figures shown before it is used.
 */
export function trainRouter(rows: RouterRow[], options: TrainRouterOptions): TrainedRouter {
  const progress = options.onProgress ?? (() => undefined);
  const pair = pickPair(rows, { strong: options.strong, weak: options.weak }, options.source);
  const data = prepare(rows, pair.strong, pair.weak, options.source);
  const features = options.features ?? defaultFeatureOptions;
  progress(`${data.prompts.length} rows: strong ${pair.strong} (mean ${pair.strongMean.toFixed(3)}), weak ${pair.weak} (mean ${pair.weakMean.toFixed(3)})`);
  const truncated = data.prompts.map((prompt) => truncatePrompt(prompt, features.maxChars));
  const vectors: SparseVector[] = truncated.map((prompt) => featurize(prompt, {}, features));
  const linear = { dimension: dimensionOf(features), epochs: options.epochs ?? defaultLinearOptions.epochs, learningRate: options.learningRate ?? defaultLinearOptions.learningRate, l2: options.l2 ?? defaultLinearOptions.l2, seed: defaultLinearOptions.seed };
  const count = Math.max(2, Math.min(options.folds ?? 4, data.prompts.length));
  const folds = { foldOf: new Int32Array(data.prompts.length), count };
  shuffled(data.prompts.length, seededRandom(11)).forEach((row, position) => {
    folds.foldOf[row] = position % count;
  });
  const wanted = options.family ?? 'auto';
  const treeOptions = { ...treeOptionsFor(data.prompts.length), ...options.trees };
  const linearScores = outOfFoldLinear(vectors, data.gainLabels, folds, { ...linear, progress });
  const rarity = countWordRarity(truncated);
  const candidates: Candidate[] = [];
  if (wanted === 'auto' || wanted === 'linear') candidates.push(candidateOf('linear', linearScores, data));
  if (wanted === 'auto' || wanted === 'trees') candidates.push(candidateOf('trees', outOfFoldTrees(shapeRows(truncated, rarity), data.gainLabels, folds, { options: treeOptions, progress }), data));
  const stackedInputs = shapeRows(truncated, rarity, linearScores);
  if (wanted === 'auto' || wanted === 'stacked') candidates.push(candidateOf('stacked', outOfFoldTrees(stackedInputs, data.gainLabels, folds, { options: treeOptions, progress }), data));
  for (const candidate of candidates) progress(`${candidate.family}: held-out APGR ${candidate.apgr.toFixed(4)}, length weight ${candidate.blend.lengthWeight * candidate.blend.lengthSign}`);
  const chosen = bestCandidate(candidates);
  progress(`chosen: ${chosen.family}, length weight ${chosen.blend.lengthWeight} (${chosen.blend.lengthSign > 0 ? 'longer' : 'shorter'} prompts to the strong model)`);
  const baselines = baselineFigures(data.prompts, data.outcomes);
  const heldOut = { router: routingFigures(chosen.blended, data.outcomes), ...baselines };
  const gain: LinearHead = trainLogistic(vectors, data.gainLabels, { ...linear, onEpoch: (epoch, loss) => progress(`final model epoch ${epoch}/${linear.epochs}, loss ${loss.toFixed(4)}`) });
  const weakQuality = trainLogistic(vectors, data.weakLabels, linear);
  // Stacked trees learn from held-out linear scores: those are what the linear head gives prompts it has not seen.
  const trees = chosen.family === 'linear' ? undefined : trainTrees(chosen.family === 'stacked' ? stackedInputs : shapeRows(truncated, rarity), data.gainLabels, treeOptions);
  const file: RouterModelFile = {
    format: 'switchyard-router',
    version: 2,
    family: chosen.family,
    strong: pair.strong,
    weak: pair.weak,
    features,
    gain: encodeHead(gain),
    weakQuality: encodeHead(weakQuality),
    ...(trees ? { trees, rarity: encodeRarity(rarity) } : {}),
    blend: chosen.blend,
    calibration: quantilesOf(chosen.blended, calibrationPoints),
    training: {
      rows: data.prompts.length,
      strongMean: pair.strongMean,
      weakMean: pair.weakMean,
      scoreRange: data.range,
      trainedAt: (options.now ?? (() => new Date()))().toISOString(),
      heldOut: { router: round(heldOut.router), random: round(heldOut.random), length: round(heldOut.length) },
      families: Object.fromEntries(candidates.map((candidate) => [candidate.family, Number(candidate.apgr.toFixed(4))])),
    },
  };
  return { file, heldOut };
}
