/** Least-squares slope of y over x, or NaN with fewer than two distinct x. */
export function slope(points: Array<[number, number]>): number {
  const count = points.length;
  if (count < 2) return NaN;
  let sumX = 0;
  let sumY = 0;
  for (const [x, y] of points) {
    sumX += x;
    sumY += y;
  }
  const meanX = sumX / count;
  const meanY = sumY / count;
  let numerator = 0;
  let denominator = 0;
  for (const [x, y] of points) {
    numerator += (x - meanX) * (y - meanY);
    denominator += (x - meanX) ** 2;
  }
  return denominator === 0 ? NaN : numerator / denominator;
}

export function mean(values: number[]): number {
  return values.length === 0 ? NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Mean of the first and of the last quarter of a series: a leak shows as a later quarter above the earlier one. */
export function quarterMeans(values: number[]): { first: number; last: number } {
  const size = Math.max(1, Math.floor(values.length / 4));
  return { first: mean(values.slice(0, size)), last: mean(values.slice(-size)) };
}
