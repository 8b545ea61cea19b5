const usdFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 6 });
const countFormat = new Intl.NumberFormat('en-US');

/** Dollars with up to six decimals: per-request costs are often fractions of a cent. */
export function usd(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : usdFormat.format(value);
}

export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : countFormat.format(value);
}

export function ms(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${value >= 100 ? Math.round(value) : Math.round(value * 10) / 10} ms`;
}

export function percent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? '—' : `${value.toFixed(digits)}%`;
}

export function time(value: number | string): string {
  return new Date(value).toISOString().replace('T', ' ').slice(0, 19);
}
