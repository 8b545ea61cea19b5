import { fnvOffset, fnvPrime, isWordChar, lower, mix } from './features.js';

/**
 * How rare each word is in the training prompts: inverse document frequency over hashed, lower-cased words. Rare
 * vocabulary marks specialised questions whatever their subject, so a held-out topic still gets a signal.
 */
export interface WordRarity {
  bits: number;
  /** IDF of each hash bucket, `log((prompts + 1) / (prompts with the word + 1))`, in steps of 1/16. */
  idf: Uint8Array;
}

export const rarityBits = 16;
const idfStep = 16;

/** Calls `visit` with the bucket of each word in `text`, in order; allocates nothing. */
export function forEachWordBucket(text: string, bits: number, visit: (bucket: number, length: number) => void): void {
  const mask = (1 << bits) - 1;
  let hash = fnvOffset;
  let start = -1;
  for (let index = 0; index <= text.length; index += 1) {
    const code = index < text.length ? text.charCodeAt(index) : 32;
    if (isWordChar(code)) {
      if (start < 0) {
        start = index;
        hash = fnvOffset;
      }
      hash = Math.imul(hash ^ lower(code), fnvPrime);
      continue;
    }
    if (start >= 0) visit(mix(hash) & mask, index - start);
    start = -1;
  }
}

export function countWordRarity(prompts: string[], bits = rarityBits): WordRarity {
  const documents = new Uint32Array(1 << bits);
  const seen = new Int32Array(1 << bits).fill(-1);
  prompts.forEach((prompt, row) => {
    forEachWordBucket(prompt, bits, (bucket) => {
      if (seen[bucket] === row) return;
      seen[bucket] = row;
      documents[bucket] = (documents[bucket] as number) + 1;
    });
  });
  const idf = new Uint8Array(1 << bits);
  for (let bucket = 0; bucket < idf.length; bucket += 1) {
    const value = Math.log((prompts.length + 1) / ((documents[bucket] as number) + 1));
    idf[bucket] = Math.min(255, Math.round(value * idfStep));
  }
  return { bits, idf };
}

export function idfOf(rarity: WordRarity, bucket: number): number {
  return (rarity.idf[bucket] as number) / idfStep;
}

export function encodeRarity(rarity: WordRarity): { bits: number; data: string } {
  return { bits: rarity.bits, data: Buffer.from(rarity.idf.buffer, rarity.idf.byteOffset, rarity.idf.byteLength).toString('base64') };
}

export function decodeRarity(encoded: { bits: number; data: string }): WordRarity {
  const bytes = Buffer.from(encoded.data, 'base64');
  if (bytes.length !== 1 << encoded.bits) throw new Error(`word rarity holds ${bytes.length} values, expected ${1 << encoded.bits}`);
  return { bits: encoded.bits, idf: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}
