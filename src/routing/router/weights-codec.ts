/**
 * Weights are stored as int8 on a square-root scale, base64-encoded: a 2^18-wide head fits in about 350 KB of
 * JSON and loads without parsing a quarter-million numbers. The square-root scale keeps resolution near zero, where
 * most hashed-feature weights sit; `size` checks the file against the feature settings.
 */

export interface EncodedWeights {
  /** Number of weights the head has. */
  size: number;
  /** A weight is `sign(q) * (|q| / 127)^2 * scale` for its int8 value q. */
  scale: number;
  /** Base64 of int8 values. */
  data: string;
}

export function encodeWeights(weights: Float32Array): EncodedWeights {
  let largest = 0;
  for (const weight of weights) largest = Math.max(largest, Math.abs(weight));
  const scale = largest === 0 ? 1 : largest;
  const quantized = new Int8Array(weights.length);
  for (let index = 0; index < weights.length; index += 1) {
    const weight = weights[index] as number;
    quantized[index] = Math.sign(weight) * Math.round(127 * Math.sqrt(Math.abs(weight) / scale));
  }
  return { size: weights.length, scale, data: Buffer.from(quantized.buffer, quantized.byteOffset, quantized.byteLength).toString('base64') };
}

export function decodeWeights(encoded: EncodedWeights): Float32Array {
  const bytes = Buffer.from(encoded.data, 'base64');
  if (bytes.length !== encoded.size) throw new Error(`weights hold ${bytes.length} values, expected ${encoded.size}`);
  const weights = new Float32Array(encoded.size);
  for (let index = 0; index < encoded.size; index += 1) {
    const value = bytes.readInt8(index) / 127;
    weights[index] = Math.sign(value) * value * value * encoded.scale;
  }
  return weights;
}
