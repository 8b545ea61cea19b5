/** One cached prompt's vector as replicas exchange it; `expiresAt` is epoch ms. */
export interface SemanticEntry {
  scope: string;
  vector: number[];
  key: string;
  expiresAt: number;
}

/** Vectors of cached prompts, searched by cosine similarity within one scope (model, route and earlier turns). */
export class SemanticIndex {
  private readonly entries: Array<{ scope: string; vector: Float32Array; norm: number; key: string; expiresAt: number }> = [];
  /** Where this replica's new entries go, so that other replicas find them too (see shared-semantic-index.ts). */
  private share: ((entry: SemanticEntry) => void) | undefined;

  constructor(readonly maxEntries = 10_000) {}

  shareEntries(share: (entry: SemanticEntry) => void): void {
    this.share = share;
  }

  add(scope: string, vector: number[], key: string, ttlMs: number): void {
    const entry = { scope, vector, key, expiresAt: Date.now() + ttlMs };
    this.addShared(entry);
    this.share?.(entry);
  }

  /** An entry another replica added (or one this replica finds stored at start). */
  addShared(entry: SemanticEntry): void {
    if (entry.expiresAt <= Date.now()) return;
    const array = Float32Array.from(entry.vector);
    this.entries.push({ scope: entry.scope, vector: array, norm: norm(array), key: entry.key, expiresAt: entry.expiresAt });
    if (this.entries.length > this.maxEntries) this.entries.shift();
  }

  /** The most similar live entry at or above the threshold. */
  nearest(scope: string, vector: number[], threshold: number): { key: string; similarity: number } | undefined {
    const query = Float32Array.from(vector);
    const queryNorm = norm(query);
    const now = Date.now();
    let best: { key: string; similarity: number } | undefined;
    for (const entry of this.entries) {
      if (entry.scope !== scope || entry.expiresAt <= now || entry.vector.length !== query.length) continue;
      let dot = 0;
      for (let index = 0; index < query.length; index += 1) dot += (query[index] as number) * (entry.vector[index] as number);
      const similarity = queryNorm === 0 || entry.norm === 0 ? 0 : dot / (queryNorm * entry.norm);
      if (similarity >= threshold && (!best || similarity > best.similarity)) best = { key: entry.key, similarity };
    }
    return best;
  }
}

function norm(vector: Float32Array): number {
  let sum = 0;
  for (const value of vector) sum += value * value;
  return Math.sqrt(sum);
}
