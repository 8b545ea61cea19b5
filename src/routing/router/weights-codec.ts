/**
 * Weights are stored as int16 with one scale per head, base64-encoded, and only for the stretch that is nonzero:
 * a 2^18-wide head then fits in well under a megabyte of JSON and loads without parsing a quarter-million numbers.
 */

export interface EncodedWeights {
  /** Number of weights the head has. */
  size: number;
  /** A weight is `int16 * scale`. */
  scale: number;
  /** Base64 of little-endian int16 values. */
  data: string;
}

export function encodeWeights(weights: Float32Array): EncodedWeights {
  let largest = 0;
  for (const weight of weights) largest = Math.max(largest, Math.abs(weight));
  const scale = largest === 0 ? 1 : largest / 32767;
  const quantized = new Int16Array(weights.length);
  for (let index = 0; index < weights.length; index += 1) quantized[index] = Math.round((weights[index] as number) / scale);
  const bytes = Buffer.from(quantized.buffer, quantized.byteOffset, quantized.byteLength);
  return { size: weights.length, scale, data: bytes.toString('base64') };
}

export function decodeWeights(encoded: EncodedWeights): Float32Array {
  const bytes = Buffer.from(encoded.data, 'base64');
  if (bytes.length !== encoded.size * 2) throw new Error(`weights hold ${bytes.length / 2} values, expected ${encoded.size}`);
  const weights = new Float32Array(encoded.size);
  for (let index = 0; index < encoded.size; index += 1) weights[index] = bytes.readInt16LE(index * 2) * encoded.scale;
  return weights;
}
