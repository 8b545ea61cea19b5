import { baselineFigures, type Outcome, type RoutingFigures } from '../../src/routing/router/apgr.js';
import { readMmlu, subjectFolds, type MmluRow } from './mmlu-data.js';

/** The MMLU rows with their subject folds, outcomes and baselines: what every grouped-split experiment starts from. */
export function groupedSplit(directory: string, folds = 5): { rows: MmluRow[]; folds: number[]; outcomes: Outcome[]; baselines: ReturnType<typeof baselineFigures> } {
  const rows = readMmlu(directory);
  const outcomes: Outcome[] = rows.map((row) => ({ strong: row.strong, weak: row.weak }));
  return { rows, folds: subjectFolds(rows, folds), outcomes, baselines: baselineFigures(rows.map((row) => row.prompt), outcomes) };
}

/** Rank of each value among all, 0..1: puts scores of different models on one scale for averaging. */
export function ranks(values: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: values.length }, (_, index) => index).sort((left, right) => (values[left] as number) - (values[right] as number));
  const result = new Float64Array(values.length);
  order.forEach((index, rank) => {
    result[index] = rank / values.length;
  });
  return result;
}

export function figureLine(name: string, figures: RoutingFigures): string {
  return `| ${name} | ${figures.apgr.toFixed(3)} | ${(figures.cpt50 * 100).toFixed(1)}% | ${(figures.cpt80 * 100).toFixed(1)}% |`;
}
