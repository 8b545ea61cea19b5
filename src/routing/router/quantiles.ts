/** Values at quantiles 0, 1/n, ..., 1 of a sample, linearly interpolated, rounded to 7 significant digits. */
export function quantilesOf(values: ArrayLike<number>, points: number): number[] {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) throw new Error('quantilesOf: no values');
  const result: number[] = [];
  for (let index = 0; index <= points; index += 1) {
    const position = (index / points) * (sorted.length - 1);
    const below = Math.floor(position);
    const above = Math.min(sorted.length - 1, below + 1);
    const value = (sorted[below] as number) * (1 - (position - below)) + (sorted[above] as number) * (position - below);
    result.push(Number(value.toPrecision(7)));
  }
  return result;
}

/** Where a value falls in a quantile table, 0..1; inside a run of equal quantiles, the middle of the run. */
export function percentileOf(table: number[], value: number): number {
  const steps = table.length - 1;
  if (value < (table[0] as number)) return 0;
  if (value > (table[steps] as number)) return 1;
  let low = 0;
  let high = steps;
  // First index whose quantile is >= value.
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((table[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  const first = low;
  if ((table[first] as number) === value) {
    let last = first;
    while (last < steps && table[last + 1] === value) last += 1;
    return (first + last) / 2 / steps;
  }
  const below = table[first - 1] as number;
  const above = table[first] as number;
  return (first - 1 + (value - below) / (above - below)) / steps;
}
