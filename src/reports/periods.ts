export const hourMs = 3_600_000;
export const dayMs = 86_400_000;

const monthPattern = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: string): boolean {
  return monthPattern.test(value);
}

/** `YYYY-MM` of a time, in UTC. */
export function monthOf(time: number): string {
  return new Date(time).toISOString().slice(0, 7);
}

/** Start of a `YYYY-MM` month in UTC, epoch ms. */
export function monthStart(month: string): number {
  const match = monthPattern.exec(month);
  if (!match) throw new Error(`expected a month as YYYY-MM, got "${month}"`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, 1);
}

/** Start of the month after a `YYYY-MM` month, epoch ms. */
export function monthEnd(month: string): number {
  const start = new Date(monthStart(month));
  return Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1);
}

/** `YYYY-MM-DD` of a time, in UTC. */
export function dayOf(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** A span of whole months, `from` and `to` inclusive, with the times it covers (`end` exclusive). */
export interface MonthRange {
  from: string;
  to: string;
  start: number;
  end: number;
}

export function monthRange(from: string, to: string): MonthRange {
  if (monthStart(to) < monthStart(from)) throw new Error(`the range ends (${to}) before it starts (${from})`);
  return { from, to, start: monthStart(from), end: monthEnd(to) };
}
