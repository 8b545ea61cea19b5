/**
 * Cost of the JSON shape check (server.maxJsonDepth, server.maxJsonArrayLength) that runs on every JSON body before
 * JSON.parse, next to the cost of JSON.parse itself, on bodies like the gateway receives; and how long each takes on
 * a hostile body of nested brackets. Usage: node dist/bench/guard/json-shape-cost.js [--rounds N] [--out DIR]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { checkJsonShape } from '../../src/server/json-shape.js';

const limits = { maxJsonDepth: 128, maxJsonArrayLength: 100_000 };

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? undefined : process.argv[index + 1];
}

const sentence = 'The quick brown fox jumps over the lazy dog, then asks "why?" and checks {the} [logs]. ';

function chatBody(turns: number, withTools: boolean): string {
  const messages = Array.from({ length: turns }, (_, index) => ({ role: index % 2 === 0 ? 'user' : 'assistant', content: sentence.repeat(1 + (index % 5)) }));
  const tools = withTools
    ? Array.from({ length: 12 }, (_, index) => ({
        type: 'function',
        function: { name: `tool_${index}`, description: sentence, parameters: { type: 'object', properties: { path: { type: 'string' }, options: { type: 'object', properties: { depth: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } } } } }, required: ['path'] } },
      }))
    : undefined;
  return JSON.stringify({ model: 'gpt-4o-mini', messages, ...(tools ? { tools } : {}), stream: true, temperature: 0.2 });
}

function embeddingTokens(inputs: number, tokens: number): string {
  return JSON.stringify({ model: 'text-embedding-3-small', input: Array.from({ length: inputs }, (_, row) => Array.from({ length: tokens }, (_, column) => (row * 7919 + column * 104729) % 100_000)) });
}

/** CPU microseconds per call of `run`, the median of `rounds` rounds sized to take about 20 ms each. */
function cpuMicros(run: () => void, rounds: number): number {
  let perRound = 1;
  for (;;) {
    const started = process.cpuUsage();
    for (let index = 0; index < perRound; index++) run();
    const used = process.cpuUsage(started);
    if (used.user + used.system > 20_000 || perRound > 1_000_000) break;
    perRound *= 2;
  }
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = process.cpuUsage();
    for (let index = 0; index < perRound; index++) run();
    const used = process.cpuUsage(started);
    samples.push((used.user + used.system) / perRound);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] as number;
}

function refuses(text: string): boolean {
  try {
    checkJsonShape(text, limits);
    return false;
  } catch {
    return true;
  }
}

const rounds = Number(flag('rounds') ?? 15);
const bodies: Array<[string, string]> = [
  ['chat, 1 turn', chatBody(1, false)],
  ['chat, 20 turns, 12 tools', chatBody(20, true)],
  ['chat, 400 turns', chatBody(400, false)],
  ['embeddings, 64 × 512 token ids', embeddingTokens(64, 512)],
];
const rows = bodies.map(([name, text]) => {
  const check = cpuMicros(() => checkJsonShape(text, limits), rounds);
  const parse = cpuMicros(() => JSON.parse(text), rounds);
  return { body: name, bytes: Buffer.byteLength(text), checkMicros: check, parseMicros: parse, checkOverParse: check / parse };
});
const hostileText = '['.repeat(10_000_000);
if (!refuses(hostileText)) throw new Error('the hostile body was not refused');
const hostile = { bytes: hostileText.length, checkMicros: cpuMicros(() => refuses(hostileText), rounds), parseMicros: cpuMicros(() => JSON.parse(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`), 3) };

const command = `node dist/bench/guard/json-shape-cost.js --rounds ${rounds}`;
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, 1-minute load average ${loadavg()[0]?.toFixed(1)} at the end of the run`;
const format = (micros: number) => micros.toFixed(micros < 10 ? 2 : 0);
const lines = [
  '# JSON shape check: cost per body',
  '',
  `Command: \`${command}\``,
  '',
  `Machine: ${machine}.`,
  '',
  'CPU time per call (user + system, median of the rounds), the shape check that runs before JSON.parse beside JSON.parse of the same text.',
  '',
  '| body | bytes | shape check µs | JSON.parse µs | check / parse |',
  '|---|---|---|---|---|',
  ...rows.map((row) => `| ${row.body} | ${row.bytes.toLocaleString('en-US')} | ${format(row.checkMicros)} | ${format(row.parseMicros)} | ${row.checkOverParse.toFixed(2)} |`),
  '',
  `A hostile body of ${hostile.bytes.toLocaleString('en-US')} opening brackets is refused in ${format(hostile.checkMicros)} µs (the check stops at depth ${limits.maxJsonDepth + 1}); JSON.parse of a fifth of it (one million brackets each way) takes ${format(hostile.parseMicros)} µs.`,
  '',
];
const out = flag('out') ?? 'bench/results';
mkdirSync(out, { recursive: true });
const stem = `${new Date().toISOString().slice(0, 10)}-json-shape-cost`;
writeFileSync(join(out, `${stem}.md`), lines.join('\n'));
writeFileSync(join(out, `${stem}.json`), `${JSON.stringify({ command, machine, limits, rows, hostile }, null, 2)}\n`);
process.stdout.write(lines.join('\n'));
