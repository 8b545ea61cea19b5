import type { PromptContext } from './features.js';
import { forEachWordBucket, idfOf, type WordRarity } from './word-rarity.js';

/**
 * Dense, subject-free cues about a prompt's shape for the tree model: how long its parts are (question, lettered
 * answer options), how numeric and symbolic it is, how rare its vocabulary is, and the request's structure.
 */
export const shapeFeatureNames = [
  'log-chars', 'log-words', 'log-lines', 'options', 'log-question-chars', 'log-options-chars', 'log-mean-option-chars',
  'option-length-spread', 'numeric-options', 'digit-share', 'question-digit-share', 'math-share', 'log-numbers',
  'log-sentences', 'mean-word-length', 'capitalised-share', 'negations', 'question-marks', 'code-share',
  'idf-mean', 'idf-top5', 'rare-share', 'log-turns', 'tools', 'system-prompt', 'non-ascii-share', 'pipes',
  'paired-options', 'option-vocabulary', 'blanks', 'quotes',
] as const;

export const shapeDimension = shapeFeatureNames.length;

interface OptionStats {
  count: number;
  /** Where the first option line starts; the text before it is the question. */
  firstStart: number;
  totalChars: number;
  shortest: number;
  longest: number;
  numeric: number;
  /** Options that combine short values, like `True, False`: the question asks several judgements at once. */
  paired: number;
  optionWords: number;
  distinctOptionWords: number;
}

const maxOptionWords = 64;
const optionWordHashes = new Int32Array(maxOptionWords);

/** Counts the words of an option line and how many are new among all the options so far. */
function countOptionWords(text: string, from: number, to: number, stats: OptionStats): void {
  let hash = 0;
  let inWord = false;
  for (let index = from; index <= to; index += 1) {
    const code = index < to ? text.charCodeAt(index) | 32 : 32;
    const letter = code >= 97 && code <= 122;
    if (letter) {
      hash = inWord ? Math.imul(hash ^ code, 0x01000193) : Math.imul(0x811c9dc5 ^ code, 0x01000193);
      inWord = true;
      continue;
    }
    if (!inWord) continue;
    inWord = false;
    stats.optionWords += 1;
    let seen = false;
    for (let slot = 0; slot < Math.min(stats.distinctOptionWords, maxOptionWords); slot += 1) if (optionWordHashes[slot] === hash) seen = true;
    if (!seen) {
      if (stats.distinctOptionWords < maxOptionWords) optionWordHashes[stats.distinctOptionWords] = hash;
      stats.distinctOptionWords += 1;
    }
  }
}

function isOptionLetter(code: number, expected: number): boolean {
  return code === 65 + expected || code === 97 + expected;
}

/** Lettered options, one a line: `A. text`, `A) text` or `(A) text`, in order A, B, C, ... */
function optionStats(text: string): OptionStats {
  const stats: OptionStats = { count: 0, firstStart: text.length, totalChars: 0, shortest: Number.POSITIVE_INFINITY, longest: 0, numeric: 0, paired: 0, optionWords: 0, distinctOptionWords: 0 };
  let lineStart = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    let index = lineStart;
    while (index < lineEnd && text.charCodeAt(index) === 32) index += 1;
    const open = text.charCodeAt(index) === 40 ? 1 : 0;
    const letter = text.charCodeAt(index + open);
    const mark = text.charCodeAt(index + open + 1);
    if (isOptionLetter(letter, stats.count) && (mark === 46 || mark === 41) && index + open + 2 <= lineEnd) {
      if (stats.count === 0) stats.firstStart = lineStart;
      const length = lineEnd - (index + open + 2);
      stats.count += 1;
      stats.totalChars += length;
      stats.shortest = Math.min(stats.shortest, length);
      stats.longest = Math.max(stats.longest, length);
      let digits = 0;
      let commas = 0;
      for (let position = index + open + 2; position < lineEnd; position += 1) {
        const code = text.charCodeAt(position);
        if (code >= 48 && code <= 57) digits += 1;
        else if (code === 44) commas += 1;
      }
      if (digits > 0 && digits * 3 >= length) stats.numeric += 1;
      if (commas > 0 && length <= 30 && digits === 0) stats.paired += 1;
      countOptionWords(text, index + open + 2, lineEnd, stats);
    }
    lineStart = lineEnd + 1;
  }
  return stats;
}

interface CharCounts {
  digits: number;
  questionDigits: number;
  math: number;
  numbers: number;
  sentences: number;
  questions: number;
  code: number;
  nonAscii: number;
  pipes: number;
  blanks: number;
  quotes: number;
  /** Capitals after a space that does not follow a sentence end: names and terms. */
  capitalised: number;
  lines: number;
}

function countChars(text: string, questionEnd: number): CharCounts {
  const counts: CharCounts = { digits: 0, questionDigits: 0, math: 0, numbers: 0, sentences: 0, questions: 0, code: 0, nonAscii: 0, pipes: 0, blanks: 0, quotes: 0, capitalised: 0, lines: 1 };
  let inNumber = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    const digit = code >= 48 && code <= 57;
    if (digit) {
      counts.digits += 1;
      if (index < questionEnd) counts.questionDigits += 1;
      if (!inNumber) counts.numbers += 1;
    } else if (code === 43 || code === 61 || code === 94 || code === 42 || code === 47 || code === 60 || code === 62 || code === 92 || (code >= 0x2200 && code <= 0x22ff)) counts.math += 1;
    else if (code === 123 || code === 125 || code === 59 || code === 91 || code === 93 || code === 96) counts.code += 1;
    else if (code === 46 || code === 33) counts.sentences += 1;
    else if (code === 63) counts.questions += 1;
    else if (code === 124) counts.pipes += 1;
    else if (code === 95 && text.charCodeAt(index - 1) !== 95) counts.blanks += 1;
    else if (code === 34 || code === 0x201c) counts.quotes += 1;
    if (code >= 128) counts.nonAscii += 1;
    else if (code === 10) counts.lines += 1;
    else if (code >= 65 && code <= 90 && text.charCodeAt(index - 1) === 32) {
      const before = text.charCodeAt(index - 2);
      if (before !== 46 && before !== 63 && before !== 33 && before !== 10) counts.capitalised += 1;
    }
    inNumber = digit || (inNumber && code === 46);
  }
  return counts;
}

// Negations and exclusions turn a recall question into a reasoning one, in any subject.
const negationWords = new Set(['not', 'except', 'never', 'least', 'false', 'incorrect', 'neither', 'nor', 'cannot', 'unlikely']);

interface WordCounts {
  words: number;
  letters: number;
  negations: number;
  idfSum: number;
  rare: number;
  top: Float64Array;
}

const rareIdf = 6;
const negationBuckets = new Map<number, Set<number>>();

function negationBucketsFor(bits: number): Set<number> {
  let buckets = negationBuckets.get(bits);
  if (!buckets) {
    const found = new Set<number>();
    for (const word of negationWords) forEachWordBucket(word, bits, (bucket) => found.add(bucket));
    buckets = found;
    negationBuckets.set(bits, buckets);
  }
  return buckets;
}

function countWords(text: string, rarity: WordRarity | undefined, bits: number): WordCounts {
  const counts: WordCounts = { words: 0, letters: 0, negations: 0, idfSum: 0, rare: 0, top: new Float64Array(5) };
  const negations = negationBucketsFor(bits);
  forEachWordBucket(text, bits, (bucket, length) => {
    counts.words += 1;
    counts.letters += length;
    if (negations.has(bucket)) counts.negations += 1;
    if (!rarity) return;
    const idf = idfOf(rarity, bucket);
    counts.idfSum += idf;
    if (idf >= rareIdf) counts.rare += 1;
    const top = counts.top;
    if (idf > (top[4] as number)) {
      let slot = 4;
      while (slot > 0 && idf > (top[slot - 1] as number)) {
        top[slot] = top[slot - 1] as number;
        slot -= 1;
      }
      top[slot] = idf;
    }
  });
  return counts;
}

/** The shape vector of one prompt (already truncated), written into `out` (length `shapeDimension`). */
export function promptShape(text: string, context: PromptContext, rarity: WordRarity | undefined, out: Float64Array): Float64Array {
  const options = optionStats(text);
  const chars = countChars(text, options.firstStart);
  const words = countWords(text, rarity, rarity?.bits ?? 16);
  const length = Math.max(text.length, 1);
  const wordCount = Math.max(words.words, 1);
  const top = words.top;
  const values = [
    Math.log1p(text.length), Math.log1p(words.words), Math.log1p(chars.lines), options.count, Math.log1p(options.firstStart),
    Math.log1p(options.totalChars), options.count > 0 ? Math.log1p(options.totalChars / options.count) : 0,
    options.count > 0 ? Math.log1p(options.longest) - Math.log1p(options.shortest) : 0, options.count > 0 ? options.numeric / options.count : 0,
    chars.digits / length, chars.questionDigits / Math.max(options.firstStart, 1), chars.math / length, Math.log1p(chars.numbers),
    Math.log1p(chars.sentences), words.letters / wordCount, chars.capitalised / wordCount, words.negations, chars.questions,
    chars.code / length, words.idfSum / wordCount, ((top[0] as number) + (top[1] as number) + (top[2] as number) + (top[3] as number) + (top[4] as number)) / 5,
    words.rare / wordCount, Math.log1p(Math.max(0, (context.turns ?? 1) - 1)), context.tools ?? 0, context.hasSystem ? 1 : 0, chars.nonAscii / length,
    chars.pipes, options.count > 0 ? options.paired / options.count : 0,
    options.optionWords > 0 ? options.distinctOptionWords / options.optionWords : 0, chars.blanks, Math.log1p(chars.quotes),
  ];
  for (let index = 0; index < shapeDimension; index += 1) out[index] = values[index] as number;
  return out;
}
