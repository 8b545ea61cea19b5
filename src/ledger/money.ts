/** Rounds dollars to a billionth, which keeps sums of many small costs free of float noise. */
export function roundUsd(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}
