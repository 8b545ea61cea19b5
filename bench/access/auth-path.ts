/**
 * Cost of authenticating a request, in process: the key lookup alone (KeyService.authenticate, cached as on the hot
 * path) against the whole check a request now gets (authenticateRequest: client address, failed-authentication
 * throttle, allowed networks). Also a key bound to networks, and an address over its failure allowance presenting
 * a key in use. Figures are CPU time of the process per call. Usage: node dist/bench/access/auth-path.js [--iterations N] [--out DIR]
 */
import type { IncomingMessage } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load-config.js';
import { KeyService } from '../../src/server/auth/key-service.js';
import { authenticateRequest, failedAuthThrottleOf } from '../../src/server/auth/request-access.js';
import type { Gateway } from '../../src/server/gateway.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? undefined : process.argv[index + 1];
}

function fakeRequest(key: string, address: string): IncomingMessage {
  return { socket: { remoteAddress: address }, headers: { authorization: `Bearer ${key}` } } as unknown as IncomingMessage;
}

const roundCount = 9;

/**
 * Times every path round by round, interleaved, so that a burst of other work on the machine lands on all of them
 * rather than on whichever ran at the time. The median round of each is its figure.
 */
async function timeInterleaved(iterations: number, paths: ReadonlyArray<() => Promise<unknown>>): Promise<Array<{ nsPerCall: number; rounds: number[] }>> {
  for (const work of paths) for (let index = 0; index < 20_000; index += 1) await work();
  const rounds = paths.map(() => [] as number[]);
  for (let round = 0; round < roundCount; round += 1) {
    for (const [path, work] of paths.entries()) {
      // CPU time of this process, not wall time: on a shared machine waiting for a core is not the code's cost.
      const started = process.cpuUsage();
      for (let index = 0; index < iterations; index += 1) await work();
      const used = process.cpuUsage(started);
      rounds[path]?.push(((used.user + used.system) * 1000) / iterations);
    }
  }
  return rounds.map((times) => ({ nsPerCall: [...times].sort((a, b) => a - b)[Math.floor(roundCount / 2)] as number, rounds: times }));
}

async function main(): Promise<void> {
  const iterations = Number(flag('iterations') ?? 200_000);
  const store = openSqliteStore(':memory:');
  const keys = new KeyService(store.keys, store.settings);
  await keys.initAdmin('sy-admin-bench');
  const plain = (await keys.create({ name: 'plain' })).key;
  const bound = (await keys.create({ name: 'bound', allowedCidrs: ['10.0.0.0/8', '2001:db8::/32', '127.0.0.0/8'] })).key;
  const gateway = { config: parseConfig({}, {}), keys } as unknown as Gateway;
  const plainRequest = fakeRequest(plain, '::ffff:127.0.0.1');
  const boundRequest = fakeRequest(bound, '::ffff:127.0.0.1');
  const throttledRequest = fakeRequest(plain, '198.51.100.9');
  await keys.authenticate(plain);
  for (let index = 0; index < 100; index += 1) failedAuthThrottleOf(gateway).recordFailure('198.51.100.9', Date.now());
  const names = [
    'key lookup alone (KeyService.authenticate)',
    'whole request check (authenticateRequest)',
    'whole check, key bound to 3 networks',
    'whole check, address over its failure allowance, key in use',
  ];
  const results = await timeInterleaved(iterations, [
    () => keys.authenticate(plain),
    () => authenticateRequest(gateway, plainRequest),
    () => authenticateRequest(gateway, boundRequest),
    () => authenticateRequest(gateway, throttledRequest),
  ]);
  const rows = names.map((name, index) => [name, results[index] as { nsPerCall: number; rounds: number[] }] as const);
  await store.close();
  const command = `node dist/bench/access/auth-path.js ${process.argv.slice(2).join(' ')}`.trim();
  const lines = [
    `# Authentication path cost (${new Date().toISOString()})`,
    '',
    `Command: \`${command}\``,
    '',
    `Machine: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}, Node ${process.version}, load average ${loadavg().map((value) => value.toFixed(2)).join(' / ')} at the end. Shared with other work; compare rows within this report.`,
    '',
    `Each row: ${iterations} calls in each of ${roundCount} rounds after 20,000 warm-up calls, the rows' rounds interleaved; the median round, and every round.`,
    '',
    '| path | CPU ns per call (median round) | rounds |',
    '| --- | --- | --- |',
    ...rows.map(([name, result]) => `| ${name} | ${result.nsPerCall.toFixed(0)} | ${result.rounds.map((value) => value.toFixed(0)).join(' / ')} |`),
    '',
  ];
  const out = flag('out');
  if (out) {
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, `${new Date().toISOString().slice(0, 10)}-auth-path.md`), lines.join('\n'));
  }
  process.stdout.write(lines.join('\n'));
}

void main();
