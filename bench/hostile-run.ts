import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentedStatuses, envelopeProblem } from '../test/support/endpoint-catalog.js';
import { createGenerator, type GeneratedRequest, type RequestKind } from './hostile-requests.js';
import { sampleProcess, stopAll } from './processes.js';
import { machineFacts } from './report.js';
import { fastModel } from './scenarios.js';
import { repoRoot, startMock, startSwitchyard } from './targets.js';
import type { ProbeSample } from './soak/soak-probe.js';
import { probeLaunch } from './soak/probe-launch.js';
import { slope } from './soak/soak-stats.js';

/**
 * The hostile long run: N generated requests (valid, mutated, hostile) against a gateway in front of the mock
 * upstream, on loopback. Checks that every answer has a documented status and a well-formed envelope, that nothing
 * answers 5xx, that the gateway does not crash, that its memory stays flat, and that every valid request is served
 * and every request that reached the upstream has its ledger record.
 *   node dist/bench/hostile-run.js [--requests 1000000] [--concurrency 32] [--seed 1] [--out bench/results]
 */

const bodyLimitBytes = 65_536;
const accountedPaths = new Set(['/v1/chat/completions', '/v1/messages', '/v1/responses']);

interface Answer {
  status: number;
  text: string;
}

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? fallback : Number(process.argv[index + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name}: expected a positive number`);
  return value;
}

function send(agent: Agent, port: number, generated: GeneratedRequest): Promise<Answer> {
  if (generated.raw) return sendRaw(port, generated.raw);
  return new Promise((resolve) => {
    const body = generated.body === undefined ? undefined : Buffer.isBuffer(generated.body) ? generated.body : Buffer.from(generated.body);
    const headers = { ...generated.headers, ...(body ? { 'content-length': String(body.length) } : {}) };
    const request = httpRequest({ agent, host: '127.0.0.1', port, method: generated.method, path: generated.path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', () => resolve({ status: -1, text: 'response cut' }));
    });
    request.on('error', (error) => resolve({ status: -1, text: `socket error ${error.message}` }));
    request.end(body);
  });
}

/** Writes bytes no HTTP client would, and reads the status line of whatever comes back. */
function sendRaw(port: number, bytes: Buffer): Promise<Answer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const done = () => {
      socket.destroy();
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: match ? Number(match[1]) : 0, text: text.slice(text.indexOf('\r\n\r\n') + 4) });
    };
    socket.setTimeout(5_000, done);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('end', done);
    socket.on('error', done);
    socket.write(bytes);
  });
}

interface Tally {
  statuses: Record<RequestKind, Record<string, number>>;
  variants: Record<string, Record<string, number>>;
  undocumented: Array<{ variant: string; status: number; text: string }>;
  malformedEnvelopes: Array<{ variant: string; status: number; problem: string }>;
  validNotServed: Array<{ variant: string; status: number; text: string }>;
  okOnAccountedPaths: number;
}

function record(tally: Tally, generated: GeneratedRequest, answer: Answer): void {
  const byKind = tally.statuses[generated.kind];
  byKind[answer.status] = (byKind[answer.status] ?? 0) + 1;
  const byVariant = (tally.variants[`${generated.kind}: ${generated.variant}`] ??= {});
  byVariant[answer.status] = (byVariant[answer.status] ?? 0) + 1;
  // A raw request that the server closes without an answer (a TLS hello, a broken frame) is a refusal, not an answer.
  const refusedRaw = generated.raw !== undefined && answer.status === 0;
  if (!refusedRaw && !documentedStatuses.has(answer.status) && tally.undocumented.length < 20) tally.undocumented.push({ variant: generated.variant, status: answer.status, text: answer.text.slice(0, 200) });
  if (answer.status >= 400 && generated.raw === undefined) {
    const problem = envelopeProblem(generated.path, answer.status, answer.text);
    if (problem && tally.malformedEnvelopes.length < 20) tally.malformedEnvelopes.push({ variant: generated.variant, status: answer.status, problem });
  }
  if (generated.kind === 'valid' && answer.status !== 200 && tally.validNotServed.length < 20) tally.validNotServed.push({ variant: generated.variant, status: answer.status, text: answer.text.slice(0, 200) });
  if (answer.status === 200 && generated.raw === undefined && accountedPaths.has(generated.path)) tally.okOnAccountedPaths += 1;
}

/** The requests answered by a moment of the run, interpolated between the outside samples around it. */
function completedAt(memory: Array<{ at: number; completed: number }>, at: number): number | undefined {
  const after = memory.findIndex((point) => point.at >= at);
  if (after <= 0) return after === 0 ? memory[0]?.completed : undefined;
  const [left, right] = [memory[after - 1]!, memory[after]!];
  return left.completed + ((right.completed - left.completed) * (at - left.at)) / Math.max(1, right.at - left.at);
}

/** Heap and off-heap memory from the probe inside the gateway, as slopes per 100,000 requests after `from` requests. */
function insideTrends(probeFile: string, memory: Array<{ at: number; completed: number }>, from: number): Record<string, number | undefined> {
  if (!existsSync(probeFile)) return {};
  const samples = readFileSync(probeFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as ProbeSample);
  const points = samples.map((sample) => ({ sample, completed: completedAt(memory, sample.at) })).filter((point): point is { sample: ProbeSample; completed: number } => point.completed !== undefined && point.completed >= from);
  const trend = (value: (sample: ProbeSample) => number) => slope(points.map((point) => [point.completed / 100_000, value(point.sample) / 1024 ** 2]));
  return {
    heapUsedSlopeMbPer100kRequests: trend((sample) => sample.heapUsedBytes),
    externalSlopeMbPer100kRequests: trend((sample) => sample.externalBytes),
    heapFirstMb: points[0] ? points[0].sample.heapUsedBytes / 1024 ** 2 : undefined,
    heapLastMb: points.at(-1) ? points.at(-1)!.sample.heapUsedBytes / 1024 ** 2 : undefined,
    probeSamples: points.length,
  };
}

async function main(): Promise<void> {
  const total = option('requests', 1_000_000);
  const concurrency = option('concurrency', 32);
  const seed = option('seed', 1);
  const outIndex = process.argv.indexOf('--out');
  const outDir = outIndex === -1 ? join(repoRoot, 'bench', 'results') : (process.argv[outIndex + 1] as string);
  const workDir = mkdtempSync(join(tmpdir(), 'switchyard-hostile-'));
  const mock = await startMock({ name: 'mock', logDir: workDir });
  // The soak's probe, preloaded, reports the heap beside the resident set: whether growth is JavaScript objects or not.
  const probeFile = join(workDir, 'probe.jsonl');
  const gateway = await startSwitchyard({ name: 'switchyard', models: [{ model: fastModel, mock }], workDir, bodyLimitBytes, ...probeLaunch(probeFile, 2_000) });
  const clientKey = (gateway.headers.authorization ?? '').slice('Bearer '.length);
  const port = Number(new URL(gateway.baseUrl).port);
  const next = createGenerator(seed, { model: fastModel, clientKey, validShare: 0.5, mutatedShare: 0.3, bodyLimitBytes });
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const tally: Tally = { statuses: { valid: {}, mutated: {}, hostile: {} }, variants: {}, undocumented: [], malformedEnvelopes: [], validNotServed: [], okOnAccountedPaths: 0 };
  const sent: Record<RequestKind, number> = { valid: 0, mutated: 0, hostile: 0 };
  let issued = 0;
  let completed = 0;
  const memory: Array<{ at: number; seconds: number; completed: number; rssMb: number }> = [];
  const started = performance.now();
  const sampler = setInterval(() => {
    const sample = sampleProcess(gateway.child.pid);
    if (sample) memory.push({ at: Date.now(), seconds: (performance.now() - started) / 1000, completed, rssMb: sample.rssBytes / 1024 ** 2 });
  }, 1_000);
  const progress = setInterval(() => process.stderr.write(`${completed} of ${total} answered, gateway RSS ${memory.at(-1)?.rssMb.toFixed(0) ?? '?'} MB\n`), 30_000);
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (issued < total) {
        issued += 1;
        const generated = next();
        sent[generated.kind] += 1;
        record(tally, generated, await send(agent, port, generated));
        completed += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  clearInterval(progress);
  agent.destroy();

  const alive = gateway.child.process.exitCode === null && gateway.child.process.signalCode === null;
  const health = alive ? (await fetch(`${gateway.baseUrl}/health`)).status : 0;
  const ledger = await gateway.admin<{ requests: number; attempts: number; queued: number; written: number }>('/admin/ledger/stats');
  const usage = await gateway.admin<{ rows: Array<{ requests: number; errors: number }> }>('/admin/usage?groupBy=model');
  const okRecords = usage.rows.reduce((sum, row) => sum + row.requests - row.errors, 0);
  const upstream = await mock.stats();
  const settled = memory.filter((point) => point.completed >= total * 0.1);
  const perHundredThousand = slope(settled.map((point) => [point.completed / 100_000, point.rssMb]));
  const perMinute = slope(settled.map((point) => [point.seconds / 60, point.rssMb]));
  const inside = insideTrends(probeFile, memory, total * 0.1);
  const result = {
    command: `node dist/bench/hostile-run.js --requests ${total} --concurrency ${concurrency} --seed ${seed}`,
    machine: machineFacts(),
    requests: { total, ...sent },
    seconds: Number(seconds.toFixed(1)),
    requestsPerSecond: Math.round(total / seconds),
    statuses: tally.statuses,
    variants: tally.variants,
    undocumented: tally.undocumented,
    malformedEnvelopes: tally.malformedEnvelopes,
    validNotServed: tally.validNotServed,
    gatewayAlive: alive,
    healthAfter: health,
    memory: { firstMb: memory[0]?.rssMb, lastMb: memory.at(-1)?.rssMb, peakMb: Math.max(...memory.map((point) => point.rssMb)), slopeMbPer100kRequests: perHundredThousand, slopeMbPerMinute: perMinute, samples: memory.length, ...inside },
    accounting: { okOnAccountedPaths: tally.okOnAccountedPaths, ledgerOkRecords: okRecords, ledgerRequests: ledger.requests, ledgerAttempts: ledger.attempts, ledgerQueued: ledger.queued, upstreamRequests: upstream.requests },
  };
  const fiveHundreds = Object.values(tally.statuses).reduce((sum, byStatus) => sum + Object.entries(byStatus).filter(([status]) => Number(status) >= 500).reduce((n, [, count]) => n + count, 0), 0);
  const verdicts = {
    'every answer has a documented status': tally.undocumented.length === 0,
    'every error answer is a well-formed envelope': tally.malformedEnvelopes.length === 0,
    'no 5xx': fiveHundreds === 0,
    'the gateway did not crash and still answers': alive && health === 200,
    'every valid request served (200)': tally.validNotServed.length === 0 && (tally.statuses.valid['200'] ?? 0) === sent.valid,
    'every request that reached the upstream has one ledger attempt': ledger.attempts === upstream.requests,
    'every 200 on a model endpoint has a ledger record without error': okRecords === tally.okOnAccountedPaths,
  };
  await stopAll();
  rmSync(workDir, { recursive: true, force: true });
  const date = new Date().toISOString().slice(0, 10);
  const base = join(outDir, `${date}-hostile-${total >= 1_000_000 ? `${total / 1_000_000}m` : total}`);
  writeFileSync(`${base}.json`, `${JSON.stringify({ ...result, verdicts }, null, 2)}\n`);
  writeFileSync(`${base}.md`, renderHostileReport(result, verdicts));
  process.stdout.write(`${JSON.stringify(verdicts, null, 2)}\nreport: ${base}.md\n`);
  if (Object.values(verdicts).some((ok) => !ok)) process.exitCode = 1;
}

function renderHostileReport(result: Record<string, unknown> & { command: string; requests: Record<string, number>; seconds: number; requestsPerSecond: number; memory: Record<string, number | undefined>; accounting: Record<string, number>; statuses: Record<string, Record<string, number>>; variants: Record<string, Record<string, number>> }, verdicts: Record<string, boolean>): string {
  const mb = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(1));
  const statusCells = (byStatus: Record<string, number>) => Object.entries(byStatus).sort(([a], [b]) => Number(a) - Number(b)).map(([status, count]) => `${status}: ${count}`).join(', ');
  return [
    `# Hostile long run, ${result.requests.total} requests`,
    '',
    `Command: \`npm run build && ${result.command}\``,
    '',
    `Machine: ${JSON.stringify(result.machine)}`,
    '',
    `Requests: ${result.requests.valid} valid, ${result.requests.mutated} mutated, ${result.requests.hostile} hostile, in ${result.seconds} s (${result.requestsPerSecond} req/s, load generator, gateway and mock upstream on the same machine).`,
    '',
    '## Verdicts',
    '',
    ...Object.entries(verdicts).map(([name, ok]) => `- ${ok ? 'pass' : 'FAIL'}: ${name}`),
    '',
    '## Statuses by kind',
    '',
    ...Object.entries(result.statuses).map(([kind, byStatus]) => `- ${kind}: ${statusCells(byStatus)}`),
    '',
    '## Statuses by variant (status 0: a raw request the server closed without an answer)',
    '',
    ...Object.entries(result.variants).sort(([a], [b]) => a.localeCompare(b)).map(([variant, byStatus]) => `- ${variant}: ${statusCells(byStatus)}`),
    '',
    '## Memory (gateway resident set, sampled every second)',
    '',
    `First ${mb(result.memory.firstMb)} MB, last ${mb(result.memory.lastMb)} MB, peak ${mb(result.memory.peakMb)} MB over ${result.memory.samples} samples. Slope after the first 10% of requests: ${result.memory.slopeMbPer100kRequests?.toFixed(3)} MB per 100,000 requests (${result.memory.slopeMbPerMinute?.toFixed(3)} MB per minute).`,
    '',
    !result.memory.probeSamples ? 'Inside the gateway: no probe sample fell in that part of the run (the probe samples every 2 s).' : `Inside the gateway (${result.memory.probeSamples} probe samples over the same part of the run): heap used ${mb(result.memory.heapFirstMb)} → ${mb(result.memory.heapLastMb)} MB, slope ${result.memory.heapUsedSlopeMbPer100kRequests?.toFixed(3)} MB per 100,000 requests; memory outside the heap held by JavaScript objects (buffers) ${result.memory.externalSlopeMbPer100kRequests?.toFixed(3)} MB per 100,000 requests. What grows in the resident set and not in these is native memory (allocator, SQLite page cache, sockets).`,
    '',
    '## Accounting',
    '',
    `200 answers on model endpoints: ${result.accounting.okOnAccountedPaths}; ledger records without error: ${result.accounting.ledgerOkRecords}; ledger records in all: ${result.accounting.ledgerRequests}; ledger attempts: ${result.accounting.ledgerAttempts}; requests the upstream received: ${result.accounting.upstreamRequests}; ledger queue after the run: ${result.accounting.ledgerQueued}.`,
    '',
    `Problems kept (first 20 of each): ${JSON.stringify({ undocumented: result.undocumented, malformedEnvelopes: result.malformedEnvelopes, validNotServed: result.validNotServed })}`,
    '',
  ].join('\n');
}

main().catch(async (error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  await stopAll();
  process.exit(1);
});
