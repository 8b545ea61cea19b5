import { randomUUID } from 'node:crypto';
import { GatewayError } from '../core/errors.js';
import type { Gateway } from '../server/gateway.js';
import type { DatasetReader } from './dataset.js';
import { evaluationCsv, routerTrainingData } from './evaluation-format.js';
import { readEvaluationRequest } from './evaluation-request.js';
import { loadItems, runEvaluation } from './evaluation-runner.js';
import { loadEvaluationSummary } from './evaluation-load.js';
import type { EvaluationSummary } from './evaluation-summary.js';
import type { EvaluationRecord } from './evaluation-types.js';

interface ActiveRun {
  abort: AbortController;
  finished: Promise<EvaluationRecord>;
}

/** Starts, resumes, stops and reports evaluations; runs work in the background of the process that started them. */
export class EvaluationService {
  private readonly active = new Map<string, ActiveRun>();

  constructor(
    private readonly gateway: Gateway,
    private readonly datasets: DatasetReader,
    private readonly onProgress?: (id: string, progress: { done: number; total: number; spentUsd: number }) => void,
  ) {}

  /** Validates the request, stores the run and starts it; answers at once with the stored run. */
  async create(body: unknown, now = Date.now()): Promise<EvaluationRecord> {
    const spec = await readEvaluationRequest(body, { registry: this.gateway.registry, datasets: this.datasets });
    const items = await loadItems(this.datasets, spec.dataset, spec.version);
    const record: EvaluationRecord = {
      id: `eval_${randomUUID().replace(/-/g, '')}`, createdAt: now, updatedAt: now, status: 'running', spec,
      total: items.length * (spec.candidates.length + 1), message: null,
    };
    await this.gateway.store.evaluations.insert(record);
    this.start(record);
    return record;
  }

  private start(record: EvaluationRecord): void {
    const abort = new AbortController();
    const finished = runEvaluation(record, {
      gateway: this.gateway,
      datasets: this.datasets,
      signal: abort.signal,
      ...(this.onProgress ? { onProgress: (progress: { done: number; total: number; spentUsd: number }) => this.onProgress?.(record.id, progress) } : {}),
    })
      .catch(async (error: unknown) => {
        this.gateway.logger.error('evaluation failed', { id: record.id, error });
        const failed = { status: 'failed' as const, message: 'the run failed; see the gateway log, then resume it', updatedAt: Date.now() };
        await this.gateway.store.evaluations.setStatus(record.id, failed);
        return { ...record, ...failed };
      })
      .finally(() => this.active.delete(record.id));
    this.active.set(record.id, { abort, finished });
  }

  async get(id: string): Promise<EvaluationRecord> {
    const record = await this.gateway.store.evaluations.get(id);
    if (!record) throw new GatewayError('not_found', `No evaluation with id "${id}".`);
    return record;
  }

  /** Continues a run that stopped or whose process ended: finished pairs are skipped, so nothing is paid twice. */
  async resume(id: string): Promise<EvaluationRecord> {
    const record = await this.get(id);
    if (record.status === 'done' || this.active.has(id)) return record;
    const running = { ...record, status: 'running' as const, message: null, updatedAt: Date.now() };
    await this.gateway.store.evaluations.setStatus(id, running);
    this.start(running);
    return running;
  }

  /** Resumes every run left `running` by a process that ended (call once at start). */
  async resumeUnfinished(): Promise<string[]> {
    const unfinished = (await this.gateway.store.evaluations.list()).filter((record) => record.status === 'running' && !this.active.has(record.id));
    for (const record of unfinished) this.start(record);
    return unfinished.map((record) => record.id);
  }

  /** Resolves once the run ends (immediately when it is not running here). */
  async wait(id: string): Promise<EvaluationRecord> {
    return (await this.active.get(id)?.finished) ?? this.get(id);
  }

  /** Stops starting calls; what finished stays stored, and the run stays `running` for a later resume. */
  async stop(id: string): Promise<void> {
    const run = this.active.get(id);
    run?.abort.abort();
    await run?.finished;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.active.keys()].map((id) => this.stop(id)));
  }

  async summary(id: string, now = Date.now()): Promise<EvaluationSummary> {
    await this.gateway.ledger.flush();
    return loadEvaluationSummary(this.gateway.store, id, now, 'id');
  }

  async csv(id: string): Promise<string> {
    return evaluationCsv(await this.summary(id));
  }

  async routerData(id: string): Promise<string> {
    const record = await this.get(id);
    const items = await loadItems(this.datasets, record.spec.dataset, record.spec.version);
    return routerTrainingData(items, await this.gateway.store.evaluations.results(id), record.spec.baseline);
  }
}
