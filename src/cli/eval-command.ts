import { writeFile } from 'node:fs/promises';
import { silentLogger } from '../core/logger.js';
import type { DatasetReader } from '../quality/dataset.js';
import { evaluationCsv, evaluationTable } from '../quality/evaluation-format.js';
import { EvaluationService } from '../quality/evaluation-service.js';
import type { EvaluationSummary } from '../quality/evaluation-summary.js';
import type { Gateway } from '../server/gateway.js';
import { startGateway } from '../server/start-server.js';
import { dataDirOf, readConfig } from './commands.js';
import { flagString, type ParsedArgs } from './parse-args.js';

export const evalUsage = `Usage:
  switchyard eval --dataset NAME [--version N] --candidates a,b [--baseline recorded|MODEL] [--judge MODEL]
                  [--evaluators exact-match,json-schema,tool-call,judge-pointwise,judge-pass-fail,judge-pairwise]
                  [--concurrency N] [--max-spend USD] [--format table|json|csv] [--router-data FILE|-]
  switchyard eval --resume EVALUATION_ID [--format ...] [--router-data FILE|-]`;

export interface EvalDependencies {
  gateway: Gateway;
  datasets: DatasetReader;
  /** Results go to stdout, progress to stderr. */
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((item) => item.trim()).filter(Boolean);
}

function number(args: ParsedArgs, flag: string): number | string | undefined {
  const text = flagString(args, flag);
  if (text === undefined) return undefined;
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) ? value : text;
}

/** The flags as the admin API's body, so that both are validated by the same code with the same messages. */
export function evalRequestOf(args: ParsedArgs): Record<string, unknown> {
  const body: Record<string, unknown> = {
    dataset: flagString(args, 'dataset'),
    candidates: list(flagString(args, 'candidates')),
    baseline: flagString(args, 'baseline'),
    judge: flagString(args, 'judge'),
    evaluators: list(flagString(args, 'evaluators')),
    version: number(args, 'version'),
    concurrency: number(args, 'concurrency'),
    maxSpendUsd: number(args, 'max-spend'),
  };
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}

function progressPrinter(stderr: (text: string) => void): (id: string, progress: { done: number; total: number; spentUsd: number }) => void {
  let last = 0;
  return (_id, progress) => {
    const now = Date.now();
    if (now - last < 500 && progress.done < progress.total) return;
    last = now;
    stderr(`progress: ${progress.done}/${progress.total} pairs, $${progress.spentUsd.toFixed(6)} spent\n`);
  };
}

/** Runs (or resumes) an evaluation to its end in this process and prints its results. */
export async function runEvalCommand(args: ParsedArgs, deps: EvalDependencies): Promise<EvaluationSummary> {
  const format = flagString(args, 'format') ?? (args.flags.json ? 'json' : 'table');
  if (!['table', 'json', 'csv'].includes(format)) throw new Error(`--format: expected table, json or csv, got "${format}".\n\n${evalUsage}`);
  const service = new EvaluationService(deps.gateway, deps.datasets, progressPrinter(deps.stderr));
  const resume = flagString(args, 'resume');
  const record = resume === undefined ? await service.create(evalRequestOf(args)) : await service.resume(resume);
  deps.stderr(`evaluation ${record.id}: ${record.total} pairs (resume with: switchyard eval --resume ${record.id})\n`);
  await service.wait(record.id);
  const summary = await service.summary(record.id);
  if (format === 'json') deps.stdout(`${JSON.stringify(summary, null, 2)}\n`);
  else if (format === 'csv') deps.stdout(evaluationCsv(summary));
  else deps.stdout(evaluationTable(summary));
  const routerData = flagString(args, 'router-data');
  if (routerData === '-') deps.stdout(await service.routerData(record.id));
  else if (routerData !== undefined) await writeFile(routerData, await service.routerData(record.id));
  return summary;
}

/** `switchyard eval`: a gateway in this process (no port of its own to speak of) runs the calls, then stops. */
export async function evalCommand(args: ParsedArgs): Promise<void> {
  const config = readConfig(args);
  const running = await startGateway({ config, logger: silentLogger, dataDir: dataDirOf(args, config), host: '127.0.0.1', port: 0 });
  try {
    const datasets = running.gateway.datasets;
    if (!datasets) throw new Error('switchyard eval needs the dataset store, which this build does not have.');
    await runEvalCommand(args, { gateway: running.gateway, datasets, stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) });
  } finally {
    await running.shutdown(1_000);
  }
}
