/**
 * Decision latency of `strategy: router`: scoring a request and choosing its target, as plan-route does, at
 * several prompt sizes. Usage: node dist/bench/router/router-latency.js [--model MODEL.json] [--iterations N] [--out DIR]
 */
import { cpus, loadavg } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatRequest } from '../../src/core/canonical.js';
import type { Deployment } from '../../src/core/deployment.js';
import { seededRandom } from '../../src/routing/router/linear-model.js';
import { decide } from '../../src/routing/router/route-decision.js';
import { RouterModel } from '../../src/routing/router/router-model.js';
import { loadRouterModel } from '../../src/routing/router/router-models.js';
import { trainRouter } from '../../src/routing/router/train-router.js';
import { syntheticRows } from '../../test/support/synthetic-router-data.js';

const sizes = [200, 2_000, 8_000, 32_000];

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? undefined : process.argv[index + 1];
}

const vocabulary = 'the of and to in is that for it as was with be by on not he this are or his from at which but have an they you were her she there been one all we their has would when if so no what more about can said them some could other than then into its time only do like two may these first new any my now such our people way well also years most how who over after where just even because those through down should back much before good here same see between both being under while last might each another however find without great around already off again go little long make work always still yet during few world big number part give system set example problem'.split(' ');

/** Prose with numbers, punctuation and now and then a line of code, like real prompts. */
function promptOf(length: number, seed: number): string {
  const random = seededRandom(seed);
  let text = '';
  while (text.length < length) {
    const roll = random();
    if (roll < 0.02) text += '\n```js\nconst total = items.reduce((sum, item) => sum + item.price * 1.2, 0);\n```\n';
    else if (roll < 0.08) text += `${Math.floor(random() * 10_000)} `;
    else text += `${vocabulary[Math.floor(random() * vocabulary.length)] as string}${random() < 0.1 ? '. ' : ' '}`;
  }
  return text.slice(0, length);
}

function deployment(model: string, input: number): Deployment {
  return { model, provider: model, providerType: 'openai', upstreamModel: model, price: { input, output: input * 4 }, priceSource: 'config', private: false } as unknown as Deployment;
}

function percentile(sorted: number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] as number;
}

function main(): void {
  const iterations = Number(flag('iterations') ?? 2_000);
  const modelPath = flag('model');
  const model = modelPath ? loadRouterModel(modelPath) : new RouterModel(trainRouter(syntheticRows(2_000, 1).map((row, index) => ({ ...row, line: index + 1 })), { source: 'synthetic' }).file);
  const byCost = [deployment('small', 0.1), deployment('large', 3)];
  const results = sizes.map((size) => {
    const prompts = Array.from({ length: 16 }, (_, index) => promptOf(size, size + index));
    const request = (prompt: string): ChatRequest => ({ model: 'smart', stream: false, messages: [{ role: 'system', content: 'You are helpful.' }, { role: 'user', content: [{ type: 'text', text: prompt }] }] });
    const requests = prompts.map(request);
    for (let index = 0; index < 200; index += 1) decide({ model, settings: { model: 'm', maxStrongShare: 0.3 }, byCost, request: requests[index % requests.length] as ChatRequest });
    const times: number[] = [];
    const cpuTimes: number[] = [];
    for (let index = 0; index < iterations; index += 1) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      decide({ model, settings: { model: 'm', maxStrongShare: 0.3 }, byCost, request: requests[index % requests.length] as ChatRequest });
      times.push(performance.now() - started);
      const used = process.cpuUsage(cpu);
      cpuTimes.push((used.user + used.system) / 1000);
    }
    times.sort((left, right) => left - right);
    cpuTimes.sort((left, right) => left - right);
    return { chars: size, p50Ms: percentile(times, 0.5), p99Ms: percentile(times, 0.99), maxMs: times[times.length - 1] as number, cpuP50Ms: percentile(cpuTimes, 0.5), cpuP99Ms: percentile(cpuTimes, 0.99) };
  });
  const machine = { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', loadAverage1m: loadavg()[0] as number, node: process.version };
  const lines = [
    '# Router decision latency',
    '',
    `Command: \`node dist/bench/router/router-latency.js${modelPath ? ` --model ${modelPath}` : ''} --iterations ${iterations}\``,
    '',
    `Machine: ${machine.cpus} × ${machine.model}, Node ${machine.node}, 1-minute load average ${machine.loadAverage1m.toFixed(1)} at the end of the run.`,
    `Model: ${modelPath ?? 'trained on 2,000 synthetic rows'} (family ${model.family}; features 2^${model.features.bits}, word n-grams ${model.features.wordNgrams}, char n-grams ${model.features.charNgrams.join(',')}); prompts over ${model.features.maxChars} characters are cut to their head and tail.`,
    '',
    'Wall time includes time the process waited for a core; CPU time (user + system, microsecond resolution) is the work itself.',
    '',
    '| prompt chars | wall p50 ms | wall p99 ms | wall max ms | CPU p50 ms | CPU p99 ms |',
    '|---|---|---|---|---|---|',
    ...results.map((result) => `| ${result.chars.toLocaleString('en-US')} | ${result.p50Ms.toFixed(3)} | ${result.p99Ms.toFixed(3)} | ${result.maxMs.toFixed(3)} | ${result.cpuP50Ms.toFixed(3)} | ${result.cpuP99Ms.toFixed(3)} |`),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const out = flag('out');
  if (out) {
    mkdirSync(out, { recursive: true });
    const stem = join(out, `${new Date().toISOString().slice(0, 10)}-router-latency`);
    writeFileSync(`${stem}.md`, `${lines.join('\n')}\n`);
    writeFileSync(`${stem}.json`, `${JSON.stringify({ iterations, machine, results }, null, 2)}\n`);
  }
}

main();
