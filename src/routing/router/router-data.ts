import { GatewayError } from '../../core/errors.js';

/** One training row: a prompt and how well each model answered it (1/0 correctness or a judge score). */
export interface RouterRow {
  prompt: string;
  scores: Record<string, number>;
  /** 1-based line in the source file. */
  line: number;
}

function rowError(source: string, line: number, message: string, param: string): GatewayError {
  return new GatewayError('invalid_request', `${source} line ${line}: ${message}`, { param });
}

function parseScores(value: unknown, source: string, line: number): Record<string, number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw rowError(source, line, '"scores" must be an object of model name to number, e.g. {"scores": {"big": 1, "small": 0}}', 'scores');
  const scores: Record<string, number> = {};
  for (const [model, score] of Object.entries(value)) {
    const number = typeof score === 'boolean' ? Number(score) : score;
    if (typeof number !== 'number' || !Number.isFinite(number)) throw rowError(source, line, `score of "${model}" must be a finite number, got ${JSON.stringify(score)}`, `scores.${model}`);
    scores[model] = number;
  }
  if (Object.keys(scores).length === 0) throw rowError(source, line, '"scores" is empty; each row needs a score for at least one model', 'scores');
  return scores;
}

/** Parses JSONL rows `{"prompt": string, "scores": {model: number}}`; blank lines are skipped. */
export function parseRouterData(text: string, source: string): RouterRow[] {
  const rows: RouterRow[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const content = (lines[index] as string).trim();
    if (content === '') continue;
    const line = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch (error) {
      throw rowError(source, line, `not valid JSON (${error instanceof Error ? error.message : String(error)})`, 'line');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw rowError(source, line, 'expected a JSON object', 'line');
    const record = value as Record<string, unknown>;
    if (typeof record.prompt !== 'string') throw rowError(source, line, '"prompt" must be a string', 'prompt');
    if (record.scores === undefined) throw rowError(source, line, 'no "scores"; each row needs {"scores": {model: number}}', 'scores');
    rows.push({ prompt: record.prompt, scores: parseScores(record.scores, source, line), line });
  }
  if (rows.length === 0) throw new GatewayError('invalid_request', `${source}: no rows`, { param: 'data' });
  return rows;
}

/** Parses JSONL rows `{"prompt": string}` for scoring. */
export function parsePrompts(text: string, source: string): string[] {
  const prompts: string[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const content = (lines[index] as string).trim();
    if (content === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch {
      throw rowError(source, index + 1, 'not valid JSON', 'line');
    }
    const prompt = typeof value === 'object' && value !== null ? (value as Record<string, unknown>).prompt : undefined;
    if (typeof prompt !== 'string') throw rowError(source, index + 1, '"prompt" must be a string', 'prompt');
    prompts.push(prompt);
  }
  return prompts;
}

export interface ModelPair {
  strong: string;
  weak: string;
  strongMean: number;
  weakMean: number;
}

export function modelMeans(rows: RouterRow[]): Map<string, { sum: number; count: number }> {
  const means = new Map<string, { sum: number; count: number }>();
  for (const row of rows) {
    for (const [model, score] of Object.entries(row.scores)) {
      const entry = means.get(model) ?? { sum: 0, count: 0 };
      entry.sum += score;
      entry.count += 1;
      means.set(model, entry);
    }
  }
  return means;
}

/** The strong and weak model: as named, or with two models the higher and lower mean score. */
export function pickPair(rows: RouterRow[], named: { strong?: string; weak?: string }, source: string): ModelPair {
  const means = modelMeans(rows);
  const models = [...means.keys()];
  if (models.length < 2) throw new GatewayError('invalid_request', `${source}: scores name only one model (${models[0] ?? 'none'}); a router needs outcomes of at least two models`, { param: 'scores' });
  for (const [flag, model] of Object.entries(named)) {
    if (model !== undefined && !means.has(model)) throw new GatewayError('invalid_request', `--${flag} ${model}: no row scores that model (models: ${models.join(', ')})`, { param: flag });
  }
  const mean = (model: string) => {
    const entry = means.get(model) as { sum: number; count: number };
    return entry.sum / entry.count;
  };
  const byMean = [...models].sort((left, right) => mean(right) - mean(left));
  if (models.length > 2 && (named.strong === undefined || named.weak === undefined)) {
    throw new GatewayError('invalid_request', `${source}: scores name ${models.length} models (${models.join(', ')}); choose two with --strong NAME --weak NAME`, { param: 'strong' });
  }
  const strong = named.strong ?? byMean.find((model) => model !== named.weak) as string;
  const weak = named.weak ?? byMean.reverse().find((model) => model !== strong) as string;
  if (strong === weak) throw new GatewayError('invalid_request', `--strong and --weak name the same model (${strong})`, { param: 'weak' });
  return { strong, weak, strongMean: mean(strong), weakMean: mean(weak) };
}
