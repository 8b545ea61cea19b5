import type { ServerResponse } from 'node:http';
import { sendJson } from './http-body.js';

/** One dependency the gateway cannot serve without: it resolves when reachable and rejects with the reason when not. */
export interface ReadinessProbe {
  name: string;
  probe: () => Promise<unknown>;
}

export interface ReadinessReport {
  ready: boolean;
  /** `ok`, or what is failing, per check (`config`, `draining` and each probe). */
  checks: Record<string, string>;
}

export interface ReadinessOptions {
  /** A probe that has not answered by then counts as failing. */
  timeoutMs?: number;
  /** Answers within this long of the last report reuse it, so that a flood of probes is not a flood of queries. */
  reuseMs?: number;
}

function withTimeout(work: Promise<unknown>, timeoutMs: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Whether this replica should receive traffic (`GET /ready`): the configuration is loaded, every probe (the store,
 * Redis when configured) answers, and the process is not draining. Unlike liveness, a failing dependency makes the
 * replica unready without restarting it.
 */
export class Readiness {
  private configLoaded = false;
  private drainingSince: number | undefined;
  private last: { report: ReadinessReport; at: number } | undefined;
  private running: Promise<ReadinessReport> | undefined;
  private readonly timeoutMs: number;
  private readonly reuseMs: number;

  constructor(private readonly probes: ReadinessProbe[], options: ReadinessOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 2_000;
    this.reuseMs = options.reuseMs ?? 500;
  }

  markConfigLoaded(): void {
    this.configLoaded = true;
    this.last = undefined;
  }

  /** From now on the replica answers 503: shutdown has begun and load balancers should stop sending to it. */
  startDraining(): void {
    this.drainingSince ??= Date.now();
    this.last = undefined;
  }

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  report(): Promise<ReadinessReport> {
    const now = Date.now();
    if (this.last && now - this.last.at < this.reuseMs && !this.draining) return Promise.resolve(this.last.report);
    this.running ??= this.probeAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async probeAll(): Promise<ReadinessReport> {
    const checks: Record<string, string> = { config: this.configLoaded ? 'ok' : 'not loaded yet' };
    const results = await Promise.allSettled(this.probes.map((probe) => withTimeout(probe.probe(), this.timeoutMs)));
    this.probes.forEach((probe, index) => {
      const result = results[index];
      checks[probe.name] = result?.status === 'rejected' ? `unreachable: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}` : 'ok';
    });
    checks.draining = this.drainingSince === undefined ? 'ok' : `shutting down since ${new Date(this.drainingSince).toISOString()}`;
    const report = { ready: Object.values(checks).every((value) => value === 'ok'), checks };
    this.last = { report, at: Date.now() };
    return report;
  }
}

export async function sendReadiness(readiness: Readiness, response: ServerResponse): Promise<void> {
  const report = await readiness.report();
  sendJson(response, report.ready ? 200 : 503, { status: report.ready ? 'ready' : 'unavailable', checks: report.checks }, { 'cache-control': 'no-store' });
}
