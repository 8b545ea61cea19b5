// Measures the built console: what a first visit downloads (raw and gzip bytes, per file and in all) and how
// long the overview takes to show its figures in Chromium, cold (empty cache) and warm (cache kept, reload),
// against a gateway on loopback. Writes bench/results/<date>-console.{md,json}.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { parseConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/core/logger.js';
import { startGateway } from '../../src/server/start-server.js';
import { launchBrowser } from '../../test/console/console-browser.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const built = join(root, 'web', 'dist');
const runs = Number(process.argv.find((arg) => arg.startsWith('--runs='))?.slice(7) ?? 15);
const adminKey = 'sy-admin-bench-console';

function filesUnder(directory: string, prefix = ''): string[] {
  return readdirSync(directory).flatMap((name) => (statSync(join(directory, name)).isDirectory() ? filesUnder(join(directory, name), `${prefix}${name}/`) : [`${prefix}${name}`]));
}

function sizes(path: string): { raw: number; gzip: number } {
  const body = readFileSync(join(built, path));
  return { raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
}

function quantile(values: number[], p: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] as number;
}

/** Opens the overview signed in and returns ms from navigation start until its figures are on screen, and the files fetched. */
async function loadOverview(page: Page, url: string): Promise<{ ms: number; fetched: string[] }> {
  const fetched: string[] = [];
  const onResponse = (response: { url(): string }) => {
    const path = new URL(response.url()).pathname;
    if (!path.startsWith('/admin/')) fetched.push(path);
  };
  page.on('response', onResponse);
  await page.goto(`${url}/overview`);
  await page.locator('dl.figures').waitFor();
  const ms = (await page.evaluate('performance.now()')) as number;
  page.off('response', onResponse);
  return { ms, fetched };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-console-'));
  const gateway = await startGateway({ config: parseConfig({}, {}), logger: silentLogger, dataDir, host: '127.0.0.1', port: 0, adminKey });
  const browser = await launchBrowser();
  const cold: number[] = [];
  const warm: number[] = [];
  const warmFromCache: number[] = [];
  let firstVisit: string[] = [];
  try {
    for (let run = 0; run < runs; run += 1) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.addInitScript(`sessionStorage.setItem('switchyard.console.key', ${JSON.stringify(adminKey)})`);
      const page = await context.newPage();
      // Chromium's own word on which responses came from its cache (Playwright's API does not say).
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      let fromCache = 0;
      cdp.on('Network.requestServedFromCache', () => (fromCache += 1));
      const first = await loadOverview(page, gateway.url);
      cold.push(first.ms);
      if (run === 0) firstVisit = [...new Set(first.fetched)];
      fromCache = 0;
      warm.push((await loadOverview(page, gateway.url)).ms);
      warmFromCache.push(fromCache);
      await context.close();
    }
  } finally {
    await browser.close();
    await gateway.shutdown(1_000);
    rmSync(dataDir, { recursive: true, force: true });
  }

  const all = filesUnder(built).map((path) => ({ path, ...sizes(path) }));
  const firstFiles = all.filter((file) => firstVisit.includes(`/${file.path}`) || (firstVisit.includes('/overview') && file.path === 'index.html'));
  const sum = (files: typeof all) => ({ raw: files.reduce((total, file) => total + file.raw, 0), gzip: files.reduce((total, file) => total + file.gzip, 0) });
  const round = (value: number) => Math.round(value * 10) / 10;
  const report = {
    startedAt: new Date().toISOString(),
    commandLine: `node dist/bench/console/console-bench.js${runs === 15 ? '' : ` --runs=${runs}`}`,
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', loadAverageAtStart: loadavg().map((value) => round(value)) },
    runs,
    bundle: { all: sum(all), firstVisit: sum(firstFiles), files: all.sort((left, right) => right.raw - left.raw) },
    firstVisitFiles: firstVisit,
    overviewMs: {
      cold: { p50: round(quantile(cold, 0.5)), p90: round(quantile(cold, 0.9)), max: round(Math.max(...cold)) },
      warm: { p50: round(quantile(warm, 0.5)), p90: round(quantile(warm, 0.9)), max: round(Math.max(...warm)) },
    },
    warmResponsesFromCache: { min: Math.min(...warmFromCache), max: Math.max(...warmFromCache) },
  };
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  const lines = [
    `# Console bundle size and first load, ${report.startedAt.slice(0, 10)}`,
    '',
    `Command: \`npm run build && ${report.commandLine}\` (\`npm run bench:console\`).`,
    `Machine: ${report.machine.cpus} cores (${report.machine.model}), load average at start ${report.machine.loadAverageAtStart.join(' / ')}.`,
    `Chromium headless on loopback against one gateway process with an empty ledger; ${runs} runs, each in a new browser context.`,
    '',
    '## What a first visit to /overview downloads',
    '',
    '| | raw | gzip -9 |',
    '|---|---|---|',
    `| first visit (${firstFiles.length} files) | ${kib(report.bundle.firstVisit.raw)} | ${kib(report.bundle.firstVisit.gzip)} |`,
    `| whole build (${all.length} files) | ${kib(report.bundle.all.raw)} | ${kib(report.bundle.all.gzip)} |`,
    '',
    '| file | raw | gzip -9 | first visit |',
    '|---|---|---|---|',
    ...report.bundle.files.map((file) => `| ${file.path} | ${kib(file.raw)} | ${kib(file.gzip)} | ${firstFiles.includes(file) ? 'yes' : ''} |`),
    '',
    'The gateway sends files as they are (no compression); the gzip column is what a compressing proxy in front would send.',
    '',
    '## Time until the overview shows its figures',
    '',
    'From navigation start to the figures on screen (index.html, scripts, styles, sign-in check and the overview query).',
    'Cold: new context, empty cache. Warm: the same context reloaded, hashed assets from the cache (immutable), index.html revalidated.',
    '',
    '| | p50 | p90 | max |',
    '|---|---|---|---|',
    `| cold | ${report.overviewMs.cold.p50} ms | ${report.overviewMs.cold.p90} ms | ${report.overviewMs.cold.max} ms |`,
    `| warm | ${report.overviewMs.warm.p50} ms | ${report.overviewMs.warm.p90} ms | ${report.overviewMs.warm.max} ms |`,
    '',
    `On each warm load Chromium served ${report.warmResponsesFromCache.min === report.warmResponsesFromCache.max ? report.warmResponsesFromCache.min : `${report.warmResponsesFromCache.min} to ${report.warmResponsesFromCache.max}`} responses from its cache (of the ${firstFiles.filter((file) => file.path.startsWith('assets/')).length} hashed assets of a first visit); index.html, the favicon and the admin API calls go to the gateway.`,
    '',
  ];
  const results = join(root, 'bench', 'results');
  mkdirSync(results, { recursive: true });
  const name = `${report.startedAt.slice(0, 10)}-console`;
  writeFileSync(join(results, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(results, `${name}.md`), lines.join('\n'));
  console.log(lines.join('\n'));
}

await main();
