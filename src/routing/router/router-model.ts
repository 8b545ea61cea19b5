import { z } from 'zod';
import { predictTrees, type BoostedTrees } from './boosted-trees.js';
import { dimensionOf, featurize, truncatePrompt, VectorBuilder, type FeatureOptions, type PromptContext } from './features.js';
import { dot, sigmoid, type LinearHead } from './linear-model.js';
import { promptShape, shapeDimension } from './prompt-shape.js';
import { percentileOf } from './quantiles.js';
import { routerFamilies, type RouterFamily } from './train-families.js';
import { decodeRarity, type WordRarity } from './word-rarity.js';
import { decodeWeights, encodeWeights } from './weights-codec.js';

const encodedHead = z.object({ bias: z.number(), size: z.number().int().positive(), scale: z.number().positive(), data: z.string() }).strict();

const figures = z.object({ apgr: z.number(), cpt50: z.number(), cpt80: z.number() }).strict();

const lengthBlend = z
  .object({
    lengthWeight: z.number().min(0).max(1),
    lengthSign: z.union([z.literal(1), z.literal(-1)]),
    /** Held-out gain-head outputs at quantiles, to turn an output into a percentile. */
    scoreQuantiles: z.array(z.number()).min(2),
    lengthQuantiles: z.array(z.number()).min(2),
  })
  .strict();

export type LengthBlend = z.infer<typeof lengthBlend>;

/** The routing score: the gain head's percentile, mixed with the prompt length's percentile by the blend's weight. */
export function blendedScore(blend: LengthBlend, gain: number, length: number): number {
  const model = percentileOf(blend.scoreQuantiles, gain);
  if (blend.lengthWeight === 0) return model;
  const lengthPercentile = percentileOf(blend.lengthQuantiles, length);
  return (1 - blend.lengthWeight) * model + blend.lengthWeight * (blend.lengthSign > 0 ? lengthPercentile : 1 - lengthPercentile);
}

const treeNodes = z.array(z.number());
const boostedTrees = z.object({ base: z.number(), trees: z.array(z.object({ feature: z.array(z.number().int()), threshold: treeNodes, value: treeNodes }).strict()) }).strict();

/** Versions this code reads: 1 (linear only) and 2 (adds the tree families). */
export const readableVersions = [1, 2] as const;

/** The model file: what `switchyard router train` writes and a route's `router.model` names. */
export const routerModelFileSchema = z
  .object({
    format: z.literal('switchyard-router'),
    version: z.union([z.literal(1), z.literal(2)]),
    /** Absent in version 1 files, which are all linear. */
    family: z.enum(routerFamilies).optional(),
    strong: z.string(),
    weak: z.string(),
    features: z
      .object({ bits: z.number().int().min(8).max(24), wordNgrams: z.number().int().min(0).max(2), charNgrams: z.array(z.number().int().min(1).max(8)), structure: z.boolean(), maxChars: z.number().int().positive(), charWindow: z.number().int().positive().optional() })
      .strict(),
    /** Predicts the strong model's gain over the weak one, mapped to 0..1: the routing score. */
    gain: encodedHead,
    /** Predicts the weak model's normalised score, for `minQuality`. */
    weakQuality: encodedHead.optional(),
    /** The tree model of the `trees` and `stacked` families, over the prompt-shape features (and the linear score). */
    trees: boostedTrees.optional(),
    /** Word rarity (IDF) of the training prompts, base64 of one byte per hash bucket, for the shape features. */
    rarity: z.object({ bits: z.number().int().min(8).max(20), data: z.string() }).strict().optional(),
    blend: lengthBlend,
    /** Held-out scores of the training prompts at quantiles 0, 1/n, ..., 1: thresholds for a strong share. */
    calibration: z.array(z.number()).min(2),
    training: z
      .object({
        rows: z.number().int(),
        strongMean: z.number(),
        weakMean: z.number(),
        scoreRange: z.tuple([z.number(), z.number()]),
        trainedAt: z.string(),
        heldOut: z.object({ router: figures, random: figures, length: figures }).strict().optional(),
        /** Held-out APGR of each family tried. */
        families: z.record(z.number()).optional(),
      })
      .strict(),
  })
  .strict();

export type RouterModelFile = z.infer<typeof routerModelFileSchema>;

export function encodeHead(head: LinearHead): z.infer<typeof encodedHead> {
  return { bias: head.bias, ...encodeWeights(head.weights) };
}

function decodeHead(encoded: z.infer<typeof encodedHead>, dimension: number, name: string): LinearHead {
  if (encoded.size !== dimension) throw new Error(`${name} has ${encoded.size} weights, the feature settings need ${dimension}`);
  return { bias: encoded.bias, weights: decodeWeights(encoded) };
}

/** A tree the schema accepts may still be unusable: a split whose children fall outside it, or an unknown feature. */
function checkTree(tree: BoostedTrees['trees'][number], inputs: number, name: string): void {
  if (tree.threshold.length !== tree.feature.length || tree.value.length !== tree.feature.length) throw new Error(`${name}: feature, threshold and value must have the same length`);
  tree.feature.forEach((feature, node) => {
    if (feature >= inputs) throw new Error(`${name}: node ${node} reads feature ${feature}; the family has ${inputs}`);
    if (feature >= 0 && 2 * node + 2 >= tree.feature.length) throw new Error(`${name}: node ${node} splits but its children are missing`);
  });
}

/** A loaded model, ready to score prompts. */
export class RouterModel {
  readonly features: FeatureOptions;
  private readonly gain: LinearHead;
  private readonly weakQuality: LinearHead | undefined;
  readonly family: RouterFamily;
  private readonly trees: BoostedTrees | undefined;
  private readonly rarity: WordRarity | undefined;
  private readonly shape = new Float64Array(shapeDimension + 1);

  constructor(readonly file: RouterModelFile) {
    this.features = file.features;
    this.builder = new VectorBuilder(file.features.bits);
    const dimension = dimensionOf(file.features);
    this.gain = decodeHead(file.gain, dimension, 'gain');
    this.weakQuality = file.weakQuality ? decodeHead(file.weakQuality, dimension, 'weakQuality') : undefined;
    this.family = file.family ?? 'linear';
    if (this.family !== 'linear') {
      if (!file.trees || !file.rarity) throw new Error(`family ${this.family} needs "trees" and "rarity"`);
      const inputs = shapeDimension + (this.family === 'stacked' ? 1 : 0);
      file.trees.trees.forEach((tree, index) => checkTree(tree, inputs, `trees.trees.${index}`));
      this.trees = file.trees;
      this.rarity = decodeRarity(file.rarity);
    }
  }

  /** The family's raw output for a truncated prompt, before the length blend. */
  private rawScore(text: string, context: PromptContext): number {
    if (!this.trees) return sigmoid(dot(this.gain, featurize(text, context, this.features, this.builder)));
    promptShape(text, context, this.rarity, this.shape);
    if (this.family === 'stacked') this.shape[shapeDimension] = sigmoid(dot(this.gain, featurize(text, context, this.features, this.builder)));
    return predictTrees(this.trees, this.shape);
  }

  /** Parses a model file's JSON text; the error says which field is wrong. */
  static parse(text: string): RouterModel {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    const version = typeof json === 'object' && json !== null ? (json as Record<string, unknown>).version : undefined;
    if (typeof version === 'number' && !(readableVersions as readonly number[]).includes(version)) {
      throw new Error(`model file version ${version} is not one this switchyard reads (versions ${readableVersions.join(', ')}); retrain it with \`switchyard router train\` or upgrade switchyard`);
    }
    const parsed = routerModelFileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0] as z.ZodIssue;
      throw new Error(`not a router model: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    return new RouterModel(parsed.data);
  }

  private readonly builder: VectorBuilder;

  /** Higher means the strong model is more needed: where the request ranks among the training prompts, 0..1. */
  score(prompt: string, context: PromptContext = {}): number {
    return blendedScore(this.file.blend, this.rawScore(truncatePrompt(prompt, this.features.maxChars), context), prompt.length);
  }

  /** The weak model's predicted score on the training data's scale, or undefined when the file has no such head. */
  weakQualityOf(prompt: string, context: PromptContext = {}): number | undefined {
    if (!this.weakQuality) return undefined;
    const [low, high] = this.file.training.scoreRange;
    return low + (high - low) * sigmoid(dot(this.weakQuality, featurize(truncatePrompt(prompt, this.features.maxChars), context, this.features)));
  }

  /** The score above which a prompt goes to the strong model so that `share` of the training prompts would. */
  thresholdFor(share: number): number {
    // Scores are percentiles in [0, 1]: these bars send everything, or nothing, to the strong model.
    if (share >= 1) return -1;
    if (share <= 0) return 1;
    const quantiles = this.file.calibration;
    const steps = quantiles.length - 1;
    const position = Math.min(steps, Math.max(0, (1 - share) * steps));
    const below = Math.floor(position);
    const above = Math.min(steps, below + 1);
    const fraction = position - below;
    return (quantiles[below] as number) * (1 - fraction) + (quantiles[above] as number) * fraction;
  }
}
