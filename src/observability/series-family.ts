import type { Metric, Registry } from 'prom-client';

/**
 * Counters and histograms for the request path. prom-client's own children hash their labels on every `inc` and
 * `observe` (about 1 µs each, a dozen per request); these cells are plain numbers bound once per label combination,
 * and the registry reads them only when scraped.
 */
interface ExportedValue {
  value: number;
  labels: Record<string, string>;
  metricName?: string;
}

interface Exported {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: 'sum';
  values: ExportedValue[];
}

function labelsOf(names: readonly string[], values: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  names.forEach((name, index) => {
    labels[name] = values[index] ?? '';
  });
  return labels;
}

export class CounterCell {
  value = 0;

  inc(amount = 1): void {
    this.value += amount;
  }
}

export class HistogramCell {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    const bounds = this.bounds;
    for (let index = 0; index < bounds.length; index += 1) {
      if (value <= (bounds[index] as number)) {
        (this.counts[index] as number) += 1;
        return;
      }
    }
  }
}

abstract class Family<Cell> {
  protected readonly cells = new Map<string, { labels: Record<string, string>; cell: Cell }>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
    registry: Registry,
  ) {
    // The registry reads any object with a name, a type and get(); prom-client's types list only its own classes.
    registry.registerMetric(this as unknown as Metric);
  }

  /** The cell of one label combination, created on first use; callers keep it instead of asking again. */
  child(...values: string[]): Cell {
    const key = values.join('\u0000');
    let found = this.cells.get(key);
    if (!found) {
      found = { labels: labelsOf(this.labelNames, values), cell: this.create() };
      this.cells.set(key, found);
    }
    return found.cell;
  }

  protected abstract create(): Cell;
}

export class CounterFamily extends Family<CounterCell> {
  readonly type = 'counter';
  readonly aggregator = 'sum';

  protected create(): CounterCell {
    return new CounterCell();
  }

  get(): Exported {
    const values: ExportedValue[] = [];
    for (const { labels, cell } of this.cells.values()) if (cell.value > 0) values.push({ labels, value: cell.value });
    return { name: this.name, help: this.help, type: 'counter', aggregator: 'sum', values };
  }
}

export class HistogramFamily extends Family<HistogramCell> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';

  constructor(name: string, help: string, labelNames: readonly string[], options: { buckets: readonly number[]; registry: Registry }) {
    super(name, help, labelNames, options.registry);
    this.buckets = options.buckets;
  }

  private readonly buckets: readonly number[];

  protected create(): HistogramCell {
    return new HistogramCell(this.buckets);
  }

  get(): Exported {
    const values: ExportedValue[] = [];
    for (const { labels, cell } of this.cells.values()) {
      if (cell.count === 0) continue;
      let cumulative = 0;
      this.buckets.forEach((bound, index) => {
        cumulative += cell.counts[index] as number;
        values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: String(bound) }, value: cumulative });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: '+Inf' }, value: cell.count });
      values.push({ metricName: `${this.name}_sum`, labels, value: cell.sum });
      values.push({ metricName: `${this.name}_count`, labels, value: cell.count });
    }
    return { name: this.name, help: this.help, type: 'histogram', aggregator: 'sum', values };
  }
}
