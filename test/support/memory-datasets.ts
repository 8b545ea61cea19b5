import type { DatasetItem, DatasetReader, DatasetVersion } from '../../src/quality/dataset.js';

/** A DatasetReader over versions held in memory, paging with a numeric cursor as a store would. */
export class MemoryDatasets implements DatasetReader {
  private readonly versions: Array<{ version: DatasetVersion; items: DatasetItem[] }> = [];

  add(name: string, items: DatasetItem[]): DatasetVersion {
    const version: DatasetVersion = { name, version: this.versions.filter((entry) => entry.version.name === name).length + 1, createdAt: Date.now(), itemCount: items.length, source: 'import' };
    this.versions.push({ version, items });
    return version;
  }

  async get(name: string, version?: number): Promise<DatasetVersion | undefined> {
    const matching = this.versions.filter((entry) => entry.version.name === name && (version === undefined || entry.version.version === version));
    return matching.at(-1)?.version;
  }

  async items(name: string, version: number, page: { limit: number; cursor?: string }) {
    const entry = this.versions.find((candidate) => candidate.version.name === name && candidate.version.version === version);
    const start = page.cursor === undefined ? 0 : Number(page.cursor);
    const items = entry?.items.slice(start, start + page.limit) ?? [];
    const next = start + items.length;
    return { items, nextCursor: entry && next < entry.items.length ? String(next) : null };
  }
}

/** An item asking "Qn: What is n + n? (answer: 2n)" with the recorded answer 2n, sent to `route`. */
export function arithmeticItem(n: number, route: string): DatasetItem {
  const answer = String(2 * n);
  return {
    id: `item-${n}`,
    request: { model: route, stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: `Q${n}: What is ${n} + ${n}? (answer: ${answer})` }] }] },
    reference: { text: answer, toolCalls: [], finishReason: 'stop', usage: { inputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 1, reasoningTokens: 0 } },
    sourceRequestId: null,
    metadata: { route },
  };
}
