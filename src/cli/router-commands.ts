import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { GatewayError } from '../core/errors.js';
import { baselineFigures, routingFigures, type RoutingFigures } from '../routing/router/apgr.js';
import { parsePrompts, parseRouterData } from '../routing/router/router-data.js';
import { loadRouterModel } from '../routing/router/router-models.js';
import { routerFamilies, type RouterFamily } from '../routing/router/train-families.js';
import { trainRouter } from '../routing/router/train-router.js';
import { flagString, type ParsedArgs } from './parse-args.js';
import { formatTable } from './print-table.js';

const usage = `Usage:
  switchyard router train --data FILE.jsonl --out MODEL.json [--strong NAME --weak NAME] [--family auto|linear|trees|stacked]
  switchyard router score --model MODEL.json < prompts.jsonl > scores.jsonl
  switchyard router eval --model MODEL.json --data FILE.jsonl [--json]`;

function requiredFlag(args: ParsedArgs, name: string): string {
  const value = flagString(args, name);
  if (value === undefined) throw new GatewayError('invalid_request', `--${name} is required.\n${usage}`, { param: name });
  return value;
}

function readDataFile(file: string): string {
  if (!existsSync(file)) throw new GatewayError('invalid_request', `--data ${file}: file not found`, { param: 'data' });
  return readFileSync(file, 'utf8');
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

function figureRows(figures: Array<[string, RoutingFigures | { apgr: number; cpt50: number; cpt80: number }]>): string {
  return formatTable(['', 'APGR', 'CPT(50%)', 'CPT(80%)'], figures.map(([name, value]) => [name, value.apgr.toFixed(3), `${(value.cpt50 * 100).toFixed(1)}%`, `${(value.cpt80 * 100).toFixed(1)}%`]));
}

function train(args: ParsedArgs): void {
  const data = requiredFlag(args, 'data');
  const out = requiredFlag(args, 'out');
  const started = Date.now();
  const rows = parseRouterData(readDataFile(data), data);
  const strong = flagString(args, 'strong');
  const weak = flagString(args, 'weak');
  const family = flagString(args, 'family') ?? 'auto';
  if (family !== 'auto' && !(routerFamilies as readonly string[]).includes(family)) throw new GatewayError('invalid_request', `--family ${family}: expected auto, ${routerFamilies.join(', ')}`, { param: 'family' });
  const trained = trainRouter(rows, {
    source: data,
    ...(strong === undefined ? {} : { strong }),
    ...(weak === undefined ? {} : { weak }),
    family: family as RouterFamily | 'auto',
    onProgress: (message) => process.stderr.write(`router train: ${message}\n`),
  });
  writeFileSync(out, `${JSON.stringify(trained.file)}\n`);
  process.stderr.write(`router train: wrote ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  process.stdout.write(`Held-out figures (${trained.file.training.rows} rows, out-of-fold scores; family ${trained.file.family}):\n${figureRows([['router', trained.heldOut.router], ['random', trained.heldOut.random], ['prompt length', trained.heldOut.length]])}\n`);
}

async function score(args: ParsedArgs): Promise<void> {
  const model = loadRouterModel(requiredFlag(args, 'model'));
  const prompts = parsePrompts(await readStdin(), 'stdin');
  const lines = prompts.map((prompt) => JSON.stringify({ score: Number(model.score(prompt).toPrecision(6)) }));
  process.stdout.write(lines.length > 0 ? `${lines.join('\n')}\n` : '');
}

function evaluate(args: ParsedArgs): void {
  const model = loadRouterModel(requiredFlag(args, 'model'));
  const data = requiredFlag(args, 'data');
  const rows = parseRouterData(readDataFile(data), data);
  const { strong, weak } = model.file;
  const usable = rows.filter((row) => row.scores[strong] !== undefined && row.scores[weak] !== undefined);
  if (usable.length === 0) throw new GatewayError('invalid_request', `${data}: no row scores both ${strong} and ${weak}, the models this router was trained on`, { param: 'scores' });
  const outcomes = usable.map((row) => ({ strong: row.scores[strong] as number, weak: row.scores[weak] as number }));
  const prompts = usable.map((row) => row.prompt);
  const router = routingFigures(prompts.map((prompt) => model.score(prompt)), outcomes);
  const baselines = baselineFigures(prompts, outcomes);
  if (args.flags.json) {
    process.stdout.write(`${JSON.stringify({ rows: usable.length, router, random: baselines.random, length: baselines.length }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${usable.length} rows; strong ${strong} mean ${router.strongMean.toFixed(3)}, weak ${weak} mean ${router.weakMean.toFixed(3)}\n`);
  process.stdout.write(`${figureRows([['router', router], ['random', baselines.random], ['prompt length', baselines.length]])}\n`);
}

export async function routerCommand(args: ParsedArgs): Promise<void> {
  const action = args.positional[1];
  if (action === 'train') return train(args);
  if (action === 'score') return score(args);
  if (action === 'eval') return evaluate(args);
  throw new GatewayError('invalid_request', usage, { param: 'command' });
}
