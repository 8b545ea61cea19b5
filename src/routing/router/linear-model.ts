import type { SparseVector } from './features.js';

/** A logistic-regression head: `sigmoid(bias + weights · x)`. */
export interface LinearHead {
  bias: number;
  weights: Float32Array;
}

export interface LinearTrainOptions {
  dimension: number;
  epochs: number;
  learningRate: number;
  /** L2 penalty per example, applied to the weights an example touches. */
  l2: number;
  seed: number;
  onEpoch?: (epoch: number, loss: number) => void;
}

export const defaultLinearOptions = { epochs: 3, learningRate: 0.2, l2: 1e-3, seed: 7 } as const;

/** A small seeded generator, so training is repeatable. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled(count: number, random: () => number): Int32Array {
  const order = new Int32Array(count);
  for (let index = 0; index < count; index += 1) order[index] = index;
  for (let index = count - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    const held = order[index] as number;
    order[index] = order[other] as number;
    order[other] = held;
  }
  return order;
}

export function dot(head: LinearHead, vector: SparseVector): number {
  let sum = head.bias;
  const weights = head.weights;
  for (let index = 0; index < vector.length; index += 1) sum += (weights[vector.indices[index] as number] as number) * (vector.values[index] as number);
  return sum;
}

export function sigmoid(value: number): number {
  return value >= 0 ? 1 / (1 + Math.exp(-value)) : Math.exp(value) / (1 + Math.exp(value));
}

/**
 * Trains a logistic regression on soft labels in [0, 1] with Adagrad and L2. Adagrad keeps rare n-grams learning
 * at a useful rate while common ones settle, which suits hashed text features without tuning per data set.
 */
export function trainLogistic(vectors: SparseVector[], labels: ArrayLike<number>, options: LinearTrainOptions): LinearHead {
  const weights = new Float32Array(options.dimension);
  const squares = new Float32Array(options.dimension);
  const mean = Array.from(labels).reduce((sum, label) => sum + label, 0) / Math.max(labels.length, 1);
  const clamped = Math.min(0.99, Math.max(0.01, mean));
  const head: LinearHead = { bias: Math.log(clamped / (1 - clamped)), weights };
  let biasSquare = 0;
  const random = seededRandom(options.seed);
  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    const order = shuffled(vectors.length, random);
    let loss = 0;
    for (const row of order) {
      const vector = vectors[row] as SparseVector;
      const label = labels[row] as number;
      const predicted = sigmoid(dot(head, vector));
      loss -= label * Math.log(predicted + 1e-12) + (1 - label) * Math.log(1 - predicted + 1e-12);
      const error = predicted - label;
      biasSquare += error * error;
      head.bias -= (options.learningRate * error) / Math.sqrt(biasSquare + 1e-8);
      for (let index = 0; index < vector.length; index += 1) {
        const feature = vector.indices[index] as number;
        const gradient = error * (vector.values[index] as number) + options.l2 * (weights[feature] as number);
        const square = (squares[feature] as number) + gradient * gradient;
        squares[feature] = square;
        weights[feature] = (weights[feature] as number) - (options.learningRate * gradient) / Math.sqrt(square + 1e-8);
      }
    }
    options.onEpoch?.(epoch + 1, loss / Math.max(vectors.length, 1));
  }
  return head;
}
