/**
 * Turns a prompt into a sparse feature vector for the router: hashed word uni- and bigrams, hashed character
 * n-grams, and a few structure features (code, math, multi-turn, tools, system prompt, length, script).
 * Everything is computed in one pass over at most `maxChars` characters, with no allocation per n-gram.
 */

export interface FeatureOptions {
  /** log2 of the hashed space; the structure features sit after it. */
  bits: number;
  /** 1: word unigrams; 2: unigrams and bigrams. 0 turns words off. */
  wordNgrams: number;
  /** Character n-gram lengths, contiguous, e.g. [3, 4, 5]; empty turns them off. */
  charNgrams: number[];
  structure: boolean;
  /** Longer prompts are cut to their first `maxChars / 2` and last `maxChars / 2` characters before scoring. */
  maxChars: number;
  /** Character n-grams read at most this many characters (head and tail), which bounds the cost of long prompts. */
  charWindow?: number;
}

export const defaultFeatureOptions: FeatureOptions = { bits: 18, wordNgrams: 2, charNgrams: [4], structure: true, maxChars: 8000, charWindow: 2000 };

/** What the router reads about a request besides its prompt text. */
export interface PromptContext {
  /** Number of user turns in the conversation (1 for a single prompt). */
  turns?: number;
  /** Number of tools the request offers. */
  tools?: number;
  hasSystem?: boolean;
}

/** A sparse vector; an index may repeat, and repeated entries add up. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
  length: number;
}

export const structureFeatureNames = [
  'log-chars', 'log-words', 'log-lines', 'code-fence', 'code-symbols', 'code-keywords', 'digits', 'math-symbols',
  'latex', 'question-marks', 'non-ascii', 'cjk', 'cyrillic', 'arabic-hebrew', 'log-turns', 'multi-turn', 'tools',
  'system-prompt', 'uppercase', 'long-words',
] as const;

export function dimensionOf(options: FeatureOptions): number {
  return (1 << options.bits) + structureFeatureNames.length;
}

/** Keeps the head and the tail of a long prompt: the question often comes last, after a long context. */
export function truncatePrompt(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const half = Math.floor(maxChars / 2);
  return `${text.slice(0, half)} ${text.slice(text.length - half)}`;
}

export const fnvOffset = 0x811c9dc5;
export const fnvPrime = 0x01000193;

export function wordHash(word: string): number {
  let hash = fnvOffset;
  for (let index = 0; index < word.length; index += 1) hash = Math.imul(hash ^ word.charCodeAt(index), fnvPrime);
  return hash;
}

// Compared by hash, so counting them allocates nothing per word.
const codeKeywords = new Set(['def', 'function', 'return', 'import', 'class', 'const', 'let', 'var', 'public', 'static', 'void', 'int', 'select', 'where', 'print', 'printf', 'elif', 'lambda', 'async', 'await', 'include', 'fn', 'struct', 'null', 'true', 'false'].map(wordHash));

export function isWordChar(code: number): boolean {
  if (code < 128) return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
  return code > 191 && code !== 215 && code !== 247 && !(code >= 0x2000 && code <= 0x2bff) && !(code >= 0x3000 && code <= 0x303f);
}

export function lower(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

/** Grows on demand so one builder serves prompts of any length. */
export class VectorBuilder {
  indices = new Int32Array(4096);
  values = new Float32Array(4096);
  length = 0;
  private readonly mask: number;
  constructor(bits: number) {
    this.mask = (1 << bits) - 1;
  }

  push(hash: number, value: number): void {
    if (this.length === this.indices.length) {
      const indices = new Int32Array(this.length * 2);
      indices.set(this.indices);
      this.indices = indices;
      const values = new Float32Array(this.length * 2);
      values.set(this.values);
      this.values = values;
    }
    this.indices[this.length] = hash & this.mask;
    this.values[this.length] = value;
    this.length += 1;
  }

  scale(from: number, factor: number): void {
    for (let index = from; index < this.length; index += 1) this.values[index] = (this.values[index] as number) * factor;
  }
}

export function mix(hash: number): number {
  let value = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  value = Math.imul(value ^ (value >>> 13), 0xc2b2ae35);
  return (value ^ (value >>> 16)) >>> 0;
}

interface WordStats {
  words: number;
  keywords: number;
  longWords: number;
  /** The previous word's hash, for bigrams. */
  previous: number;
}

// Takes the word's hash and length as arguments: a closure over the loop's variables would keep them on the heap.
function emitWord(hash: number, length: number, bigrams: boolean, stats: WordStats, builder: VectorBuilder): void {
  const unigram = mix(hash);
  builder.push(unigram, 1);
  if (bigrams && stats.words > 0) builder.push(mix(Math.imul(stats.previous, 0x9e3779b1) ^ unigram ^ 0x5bd1e995), 1);
  stats.previous = unigram;
  stats.words += 1;
  if (length > 12) stats.longWords += 1;
  if (length <= 8 && codeKeywords.has(hash)) stats.keywords += 1;
}

function addWords(text: string, options: FeatureOptions, builder: VectorBuilder): WordStats {
  const start = builder.length;
  const stats: WordStats = { words: 0, keywords: 0, longWords: 0, previous: 0 };
  const bigrams = options.wordNgrams >= 2;
  let hash = fnvOffset;
  let wordStart = -1;
  for (let index = 0; index <= text.length; index += 1) {
    const code = index < text.length ? text.charCodeAt(index) : 32;
    if (isWordChar(code)) {
      if (wordStart < 0) {
        wordStart = index;
        hash = fnvOffset;
      }
      hash = Math.imul(hash ^ lower(code), fnvPrime);
      continue;
    }
    if (wordStart >= 0) emitWord(hash, index - wordStart, bigrams, stats, builder);
    wordStart = -1;
    // Punctuation and symbols are tokens of their own: they carry code and math.
    if (code > 32 && code !== 160) emitWord(Math.imul(fnvOffset ^ code, fnvPrime) ^ 0x27d4eb2d, 1, bigrams, stats, builder);
  }
  if (options.wordNgrams > 0 && builder.length > start) builder.scale(start, 1 / Math.sqrt(builder.length - start));
  else builder.length = start;
  return stats;
}

function addCharNgrams(text: string, sizes: number[], builder: VectorBuilder): void {
  if (sizes.length === 0) return;
  const start = builder.length;
  const smallest = Math.min(...sizes);
  const largest = Math.max(...sizes);
  let previousSpace = true;
  for (let index = 0; index + smallest <= text.length; index += 1) {
    const first = text.charCodeAt(index);
    // Collapsed whitespace: a run of spaces counts once, so layout does not swamp the n-grams.
    const space = first <= 32;
    if (space && previousSpace) continue;
    previousSpace = space;
    let hash = Math.imul(fnvOffset ^ 0x3c6ef372, fnvPrime);
    for (let size = 1; size <= largest && index + size <= text.length; size += 1) {
      const code = text.charCodeAt(index + size - 1);
      hash = Math.imul(hash ^ (code <= 32 ? 32 : lower(code)), fnvPrime);
      if (size >= smallest) builder.push(mix(hash ^ size), 1);
    }
  }
  if (builder.length > start) builder.scale(start, 1 / Math.sqrt(builder.length - start));
}

interface CharStats {
  digits: number;
  codeSymbols: number;
  mathSymbols: number;
  latex: number;
  questions: number;
  nonAscii: number;
  cjk: number;
  cyrillic: number;
  rtl: number;
  upper: number;
  lines: number;
}

function countChars(text: string): CharStats {
  const stats: CharStats = { digits: 0, codeSymbols: 0, mathSymbols: 0, latex: 0, questions: 0, nonAscii: 0, cjk: 0, cyrillic: 0, rtl: 0, upper: 0, lines: 1 };
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 48 && code <= 57) stats.digits += 1;
    else if (code >= 65 && code <= 90) stats.upper += 1;
    else if (code === 10) stats.lines += 1;
    else if (code === 123 || code === 125 || code === 59 || code === 91 || code === 93 || code === 95) stats.codeSymbols += 1;
    else if (code === 43 || code === 61 || code === 94 || code === 42 || code === 47 || code === 60 || code === 62 || code === 37) stats.mathSymbols += 1;
    else if (code === 92 || code === 36) stats.latex += 1;
    else if (code === 63) stats.questions += 1;
    else if (code >= 0x2200 && code <= 0x22ff) stats.mathSymbols += 1;
    if (code >= 128) {
      stats.nonAscii += 1;
      if ((code >= 0x3040 && code <= 0x9fff) || (code >= 0xac00 && code <= 0xd7af)) stats.cjk += 1;
      else if (code >= 0x0400 && code <= 0x04ff) stats.cyrillic += 1;
      else if (code >= 0x0590 && code <= 0x06ff) stats.rtl += 1;
    }
  }
  return stats;
}

function addStructure(text: string, words: WordStats, context: PromptContext, options: FeatureOptions, builder: VectorBuilder): void {
  const chars = countChars(text);
  const length = Math.max(text.length, 1);
  const turns = context.turns ?? 1;
  const values = [
    Math.log1p(text.length) / 8, Math.log1p(words.words) / 7, Math.log1p(chars.lines) / 4, text.includes('```') ? 1 : 0,
    Math.min(1, (chars.codeSymbols / length) * 20), Math.min(1, words.keywords / 5), Math.min(1, (chars.digits / length) * 10),
    Math.min(1, (chars.mathSymbols / length) * 20), Math.min(1, chars.latex / 5), Math.min(1, chars.questions / 3),
    chars.nonAscii / length, chars.cjk / length, chars.cyrillic / length, chars.rtl / length, Math.log1p(turns - 1) / 2,
    turns > 1 ? 1 : 0, Math.min(1, (context.tools ?? 0) / 4), context.hasSystem ? 1 : 0, Math.min(1, (chars.upper / length) * 5),
    Math.min(1, words.longWords / Math.max(words.words, 1) * 5),
  ];
  // A one-hot length bucket lets a linear model bend the length effect instead of only scaling it.
  builder.push(mix(0x6a09e667 ^ Math.min(16, Math.floor(Math.log2(length + 1)))), 1);
  const base = 1 << options.bits;
  // Structure entries bypass the hash mask: the builder's mask covers only the hashed space.
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index] as number;
    if (value !== 0) {
      builder.push(0, value);
      builder.indices[builder.length - 1] = base + index;
    }
  }
}

/**
 * The feature vector of one prompt. Deterministic: same text and options, same vector. With `reuse`, the vector
 * is written into that builder's buffers (valid until its next use), which keeps scoring free of allocation.
 */
export function featurize(prompt: string, context: PromptContext, options: FeatureOptions, reuse?: VectorBuilder): SparseVector {
  const text = truncatePrompt(prompt, options.maxChars);
  const builder = reuse ?? new VectorBuilder(options.bits);
  builder.length = 0;
  const words = addWords(text, options, builder);
  addCharNgrams(options.charWindow === undefined ? text : truncatePrompt(text, options.charWindow), options.charNgrams, builder);
  if (options.structure) addStructure(text, words, context, options, builder);
  if (reuse) return { indices: builder.indices, values: builder.values, length: builder.length };
  return { indices: builder.indices.slice(0, builder.length), values: builder.values.slice(0, builder.length), length: builder.length };
}
