import { createHash } from 'node:crypto';

/**
 * Prompt caching as Anthropic and Bedrock do it, for the simulators: a breakpoint (a `cache_control` block, or the block
 * before a `cachePoint`) caches the prefix up to it once that prefix is long enough; a later request whose prefix up to
 * one of its breakpoints, or up to a block shortly before one, matches a cached prefix reads that much from the cache.
 * https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching
 * https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html
 */
export interface SimulatedPromptCacheOptions {
  /** The shortest prefix that is cached: 1024 tokens for most Claude models; smaller keeps tests small. */
  minimumTokens?: number;
}

/** One block of a prompt in cache order (tools, system, messages), without its marker. */
export interface PromptBlock {
  content: unknown;
  breakpoint: boolean;
}

export interface PromptCacheUsage {
  /** Tokens billed at the full input price. */
  uncached: number;
  read: number;
  written: number;
}

/** Both providers look back about 20 blocks from a breakpoint for a prefix they cached before. */
const lookbackBlocks = 20;
export const defaultMinimumTokens = 1024;

/** JSON with keys in order, so that one block always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A deterministic stand-in for a tokenizer: one token per four characters of the block's serialisation. */
export function simulatedTokens(content: unknown): number {
  return Math.ceil(canonical(content).length / 4);
}

export class SimulatedPromptCache {
  private readonly cached = new Set<string>();
  private readonly minimumTokens: number;

  constructor(options: SimulatedPromptCacheOptions = {}) {
    this.minimumTokens = options.minimumTokens ?? defaultMinimumTokens;
  }

  /** Counts a request's input tokens, reads what an earlier request cached and caches what this one marks. */
  use(model: string, blocks: PromptBlock[]): PromptCacheUsage {
    const hashes: string[] = [];
    const ends: number[] = [];
    let hash = createHash('sha256').update(model).digest('hex');
    let tokens = 0;
    for (const block of blocks) {
      hash = createHash('sha256').update(hash).update(canonical(block.content)).digest('hex');
      tokens += simulatedTokens(block.content);
      hashes.push(hash);
      ends.push(tokens);
    }
    const breakpoints = blocks.flatMap((block, index) => (block.breakpoint ? [index] : []));
    let read = 0;
    for (const index of breakpoints) {
      for (let position = index; position >= 0 && position > index - lookbackBlocks; position -= 1) {
        if (this.cached.has(hashes[position] ?? '')) {
          read = Math.max(read, ends[position] ?? 0);
          break;
        }
      }
    }
    let cachedEnd = read;
    for (const index of breakpoints) {
      const end = ends[index] ?? 0;
      if (end < this.minimumTokens) continue;
      this.cached.add(hashes[index] ?? '');
      cachedEnd = Math.max(cachedEnd, end);
    }
    return { uncached: tokens - cachedEnd, read, written: cachedEnd - read };
  }
}
