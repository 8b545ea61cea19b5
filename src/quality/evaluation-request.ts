import { GatewayError } from '../core/errors.js';
import type { ModelRegistry } from '../routing/model-registry.js';
import { invalid, optionalBoolean, optionalNumber, optionalString, requireArray, requireObject, requireString, type Json } from '../server/openai/field-reader.js';
import type { DatasetItem, DatasetReader } from './dataset.js';
import { loadItems } from './evaluation-runner.js';
import type { EvaluationSpec, EvaluatorSpec } from './evaluation-types.js';

export const evaluatorTypes = ['exact-match', 'contains', 'regex', 'json-schema', 'tool-call', 'judge'] as const;
/** Shorthands usable as plain strings (and in the CLI's `--evaluators a,b`). */
export const evaluatorShorthands = ['exact-match', 'json-schema', 'tool-call', 'judge-pointwise', 'judge-pass-fail', 'judge-pairwise'] as const;

const defaultRubric = 'The answer is correct, complete and helpful for the conversation, and follows its instructions. Brevity is not a fault.';

function requireKnown(registry: ModelRegistry, name: string, param: string): void {
  try {
    registry.resolve(name);
  } catch (error) {
    if (error instanceof GatewayError) throw invalid(param, `"${name}" is not a configured model or route.`);
    throw error;
  }
}

function judgeSpec(body: Json, param: string, name: string | undefined): EvaluatorSpec {
  const mode = optionalString(body.mode, `${param}.mode`) ?? 'pointwise';
  const rubric = optionalString(body.rubric, `${param}.rubric`) ?? defaultRubric;
  if (rubric.trim() === '') throw invalid(`${param}.rubric`, 'must not be empty.');
  if (mode === 'pairwise') return { type: 'judge', name: name ?? 'judge-pairwise', mode, rubric };
  if (mode !== 'pointwise') throw invalid(`${param}.mode`, `expected pointwise or pairwise, got "${mode}".`);
  const scale = optionalString(body.scale, `${param}.scale`) ?? '1-10';
  if (scale !== '1-10' && scale !== 'pass-fail') throw invalid(`${param}.scale`, `expected 1-10 or pass-fail, got "${scale}".`);
  return { type: 'judge', name: name ?? (scale === 'pass-fail' ? 'judge-pass-fail' : 'judge-pointwise'), mode, rubric, scale };
}

function regexSpec(body: Json, param: string, name: string | undefined): EvaluatorSpec {
  const pattern = requireString(body.pattern, `${param}.pattern`);
  const flags = optionalString(body.flags, `${param}.flags`) ?? '';
  try {
    new RegExp(pattern, flags);
  } catch (error) {
    throw invalid(`${param}.pattern`, `not a valid regular expression (${error instanceof Error ? error.message : String(error)}).`);
  }
  return { type: 'regex', name: name ?? 'regex', pattern, flags };
}

/** One entry of `evaluators`: a shorthand string or an object with `type`. */
export function readEvaluator(value: unknown, param: string): EvaluatorSpec {
  if (typeof value === 'string') {
    if (value === 'judge-pointwise') return judgeSpec({}, param, undefined);
    if (value === 'judge-pass-fail') return judgeSpec({ scale: 'pass-fail' }, param, undefined);
    if (value === 'judge-pairwise') return judgeSpec({ mode: 'pairwise' }, param, undefined);
    if (value === 'exact-match' || value === 'json-schema' || value === 'tool-call') return readEvaluator({ type: value }, param);
    throw invalid(param, `unknown evaluator "${value}"; expected one of ${evaluatorShorthands.join(', ')}, or an object with type ${evaluatorTypes.join(', ')}.`);
  }
  const body = requireObject(value, param);
  const type = requireString(body.type, `${param}.type`);
  const name = optionalString(body.name, `${param}.name`);
  const ignoreCase = optionalBoolean(body.ignoreCase, `${param}.ignoreCase`) ?? false;
  switch (type) {
    case 'exact-match':
      return { type, name: name ?? type, ignoreCase };
    case 'contains':
      return { type, name: name ?? type, value: requireString(body.value, `${param}.value`), ignoreCase };
    case 'regex':
      return regexSpec(body, param, name);
    case 'json-schema':
      return { type, name: name ?? type, ...(body.schema === undefined ? {} : { schema: requireObject(body.schema, `${param}.schema`) }) };
    case 'tool-call':
      return { type, name: name ?? type };
    case 'judge':
      return judgeSpec(body, param, name);
    default:
      throw invalid(`${param}.type`, `unknown evaluator type "${type}"; expected one of ${evaluatorTypes.join(', ')}.`);
  }
}

function readEvaluators(body: Json, judge: string | undefined): EvaluatorSpec[] {
  const listed = body.evaluators === undefined ? [judge === undefined ? 'exact-match' : 'judge-pairwise'] : requireArray(body.evaluators, 'evaluators');
  if (listed.length === 0) throw invalid('evaluators', 'must list at least one evaluator.');
  const evaluators = listed.map((value, index) => readEvaluator(value, `evaluators[${index}]`));
  evaluators.forEach((evaluator, index) => {
    if (evaluators.findIndex((other) => other.name === evaluator.name) !== index) throw invalid(`evaluators[${index}].name`, `"${evaluator.name}" is used twice; give each evaluator its own name.`);
    if (evaluator.type === 'judge' && judge === undefined) throw invalid('judge', `evaluators[${index}] is a judge: name the judge model in judge.`);
  });
  return evaluators;
}

function readCandidates(body: Json, registry: ModelRegistry): string[] {
  const candidates = requireArray(body.candidates, 'candidates').map((value, index) => requireString(value, `candidates[${index}]`));
  if (candidates.length === 0) throw invalid('candidates', 'must name at least one model or route.');
  candidates.forEach((name, index) => {
    requireKnown(registry, name, `candidates[${index}]`);
    if (candidates.indexOf(name) !== index) throw invalid(`candidates[${index}]`, `"${name}" is listed twice.`);
  });
  return candidates;
}

/** The route or model most items were sent to: the traffic whose volume prices a month. */
export function datasetTarget(items: DatasetItem[]): string {
  const counts = new Map<string, number>();
  for (const item of items) {
    const target = item.metadata.route ?? item.request.model;
    counts.set(target, (counts.get(target) ?? 0) + 1);
  }
  return [...counts].sort((left, right) => right[1] - left[1] || (left[0] < right[0] ? -1 : 1))[0]?.[0] ?? '';
}

async function readDataset(body: Json, datasets: DatasetReader): Promise<{ name: string; version: number; items: DatasetItem[] }> {
  const name = requireString(body.dataset, 'dataset');
  if (name.trim() === '') throw invalid('dataset', 'must not be empty.');
  const version = optionalNumber(body.version, 'version', { min: 1, integer: true });
  const found = await datasets.get(name, version);
  if (!found) throw version === undefined || !(await datasets.get(name)) ? invalid('dataset', `no dataset named "${name}".`) : invalid('version', `dataset "${name}" has no version ${version}.`);
  const items = await loadItems(datasets, name, found.version);
  if (items.length === 0) throw invalid('dataset', `dataset "${name}" version ${found.version} has no items.`);
  return { name, version: found.version, items };
}

/** Validates an evaluation request (the admin API's body, or the CLI's flags in the same shape). */
export async function readEvaluationRequest(value: unknown, context: { registry: ModelRegistry; datasets: DatasetReader }): Promise<EvaluationSpec> {
  const body = requireObject(value, 'body');
  const candidates = readCandidates(body, context.registry);
  const baseline = optionalString(body.baseline, 'baseline') ?? 'recorded';
  if (baseline !== 'recorded') requireKnown(context.registry, baseline, 'baseline');
  const judge = optionalString(body.judge, 'judge');
  if (judge !== undefined) requireKnown(context.registry, judge, 'judge');
  const evaluators = readEvaluators(body, judge);
  const concurrency = optionalNumber(body.concurrency, 'concurrency', { min: 1, max: 64, integer: true }) ?? 4;
  const maxSpendUsd = optionalNumber(body.maxSpendUsd, 'maxSpendUsd', { min: 0 });
  const dataset = await readDataset(body, context.datasets);
  return {
    dataset: dataset.name, version: dataset.version, candidates, baseline, evaluators, concurrency, target: datasetTarget(dataset.items),
    ...(judge === undefined ? {} : { judge }), ...(maxSpendUsd === undefined ? {} : { maxSpendUsd }),
  };
}
