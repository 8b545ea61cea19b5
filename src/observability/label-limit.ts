const longestValue = 120;

/**
 * Keeps a label's distinct values bounded: the first `max` values seen are kept as they are, later ones become
 * `other`, so a client inventing model names cannot grow the series without end.
 */
export class LabelLimit {
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  value(raw: string | null | undefined): string {
    if (!raw) return '';
    if (this.seen.has(raw)) return raw;
    if (raw.length > longestValue || this.seen.size >= this.max) return 'other';
    this.seen.add(raw);
    return raw;
  }
}
