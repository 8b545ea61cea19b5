import type { DeploymentStats } from './policies.js';

/** Exponential moving averages of latency per model name, fed by completed attempts. */
export class LatencyStats implements DeploymentStats {
  private readonly averages = new Map<string, number>();

  constructor(private readonly smoothing = 0.2) {}

  observe(model: string, latencyMs: number): void {
    const previous = this.averages.get(model);
    this.averages.set(model, previous === undefined ? latencyMs : previous + this.smoothing * (latencyMs - previous));
  }

  latencyMs(model: string): number | undefined {
    return this.averages.get(model);
  }
}
