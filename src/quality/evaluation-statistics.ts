/** Two-sided 95% critical values of Student's t for 1..30 degrees of freedom. */
const t975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08,
  2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];
const z975 = 1.959964;

/** Student's t quantile for a 95% interval; past 30 degrees of freedom, the Cornish-Fisher expansion around z. */
export function tCritical(degrees: number): number {
  if (degrees < 1) return Number.NaN;
  const tabled = t975[degrees - 1];
  if (tabled !== undefined) return tabled;
  const z = z975;
  return z + (z ** 3 + z) / (4 * degrees) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * degrees ** 2);
}

export interface Interval {
  mean: number;
  low: number;
  high: number;
  n: number;
  method: 'wilson' | 't' | 'none';
}

/** Wilson score interval for a proportion: better than the normal approximation near 0 and 1 and for small n. */
export function wilsonInterval(successes: number, n: number): Interval {
  if (n === 0) return { mean: Number.NaN, low: Number.NaN, high: Number.NaN, n, method: 'none' };
  const p = successes / n;
  const z2 = z975 * z975;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z975 / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { mean: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half), n, method: 'wilson' };
}

/** Mean with a t interval: mean ± t(0.975, n - 1) · s / √n, s the sample standard deviation. */
export function tInterval(values: number[]): Interval {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, low: Number.NaN, high: Number.NaN, n, method: 'none' };
  const mean = values.reduce((sum, value) => sum + value, 0) / n;
  if (n === 1) return { mean, low: mean, high: mean, n, method: 'none' };
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1);
  const half = tCritical(n - 1) * Math.sqrt(variance / n);
  return { mean, low: mean - half, high: mean + half, n, method: 't' };
}

/** Scores that are all 0 or 1 are a proportion (Wilson); anything else a mean (t). */
export function scoreInterval(values: number[]): Interval {
  const binary = values.every((value) => value === 0 || value === 1);
  return binary ? wilsonInterval(values.filter((value) => value === 1).length, values.length) : tInterval(values);
}

/** Percentile by linear interpolation between closest ranks (the R-7 / spreadsheet definition); null without values. */
export function percentile(values: number[], fraction: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  const position = (sorted.length - 1) * fraction;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below] as number;
  return low + ((sorted[above] as number) - low) * (position - below);
}
