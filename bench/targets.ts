import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startChild, waitForHttp, type Child } from './processes.js';

/** The repository root, seen from dist/bench/. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const peersDir = join(repoRoot, 'bench', '.peers');
const portkeyEntry = join(peersDir, 'node_modules', '@portkey-ai', 'gateway', 'build', 'start-server.js');

export type TargetName = 'direct' | 'switchyard' | 'portkey';

/** Something that answers POST chat completions: the mock itself, or a gateway in front of it. */
export interface Target {
  name: TargetName;
  /** Full URL of the chat completions endpoint. */
  url: string;
  headers: Record<string, string>;
  /** The process that serves the target (the mock for `direct`). */
  child: Child;
}

export interface MockUpstream {
  baseUrl: string;
  port: number;
  child: Child;
  stats(): Promise<{ requests: number; streams: number; openStreams: number; peakOpenStreams: number; badRequests: number }>;
  reset(): Promise<void>;
}

export async function startMock(options: { name: string; logDir: string; latencyMs?: number; chunkDelayMs?: number }): Promise<MockUpstream> {
  const port = await freePort();
  const args = [join(repoRoot, 'dist', 'bench', 'mock-upstream.js'), '--port', String(port), '--latency-ms', String(options.latencyMs ?? 0), '--chunk-delay-ms', String(options.chunkDelayMs ?? 0)];
  const child = startChild({ name: options.name, command: process.execPath, args, logDir: options.logDir, ipc: true });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(`${baseUrl}/_mock/stats`, child);
  return {
    baseUrl,
    port,
    child,
    stats: async () => (await fetch(`${baseUrl}/_mock/stats`)).json() as ReturnType<MockUpstream['stats']>,
    reset: async () => {
      await (await fetch(`${baseUrl}/_mock/reset`, { method: 'POST' })).arrayBuffer();
    },
  };
}

export function directTarget(mock: MockUpstream): Target {
  return { name: 'direct', url: `${mock.baseUrl}/v1/chat/completions`, headers: { authorization: 'Bearer sk-bench-upstream', 'content-type': 'application/json' }, child: mock.child };
}

export interface SwitchyardTarget extends Target {
  baseUrl: string;
  adminKey: string;
  admin<T>(path: string, init?: RequestInit): Promise<T>;
}

/** One provider of type openai per mock, each with one priced model. */
function switchyardConfig(models: SwitchyardOptions['models'], bodyLimitBytes?: number, extra = ''): string {
  const lines = ['server:', '  host: 127.0.0.1', ...(bodyLimitBytes ? [`  bodyLimitBytes: ${bodyLimitBytes}`] : []), 'providers:'];
  models.forEach(({ mock, api, providerType }, index) => lines.push(`  mock-${index}:`, `    type: ${providerType ?? 'openai'}`, '    apiKey: sk-bench-upstream', `    baseUrl: ${mock.baseUrl}/v1`, ...(api ? [`    api: ${api}`] : [])));
  lines.push('models:');
  models.forEach(({ model, capture }, index) => {
    lines.push(`  ${model}:`, `    provider: mock-${index}`, `    model: ${model}`, '    price: { input: 0.15, output: 0.6 }');
    if (capture) lines.push('    capture: { sample: 1, bodies: true }');
  });
  return `${lines.join('\n')}\n${extra}`;
}

export interface SwitchyardOptions {
  name: string;
  /**
   * Model names served by Switchyard, each from its own mock upstream; `capture` captures every request with bodies,
   * `api: responses` calls the mock through the Responses API, and `providerType` names another OpenAI-wire provider
   * type than `openai` (`vllm`: one whose bodies are built from the canonical request, never passed through).
   */
  models: Array<{ model: string; mock: MockUpstream; capture?: boolean; api?: 'responses'; providerType?: 'vllm' }>;
  workDir: string;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
  /** `switchyard start --workers N` (one process when absent). */
  workers?: number;
  /** `server.bodyLimitBytes` (the default when absent). */
  bodyLimitBytes?: number;
  /** YAML appended to the generated config (top-level sections such as `prometheus:`). */
  extraConfig?: string;
  /** Environment variables of the gateway process (OTEL_* for tracing). */
  env?: Record<string, string>;
  /** The built checkout whose `bin/switchyard.js` runs (this one when absent): to compare two builds. */
  root?: string;
}

/** Starts Switchyard the way a user does (`switchyard start`), then creates a client key through the admin API. */
export async function startSwitchyard(options: SwitchyardOptions): Promise<SwitchyardTarget> {
  const port = await freePort();
  const configFile = join(options.workDir, `${options.name}.yaml`);
  writeFileSync(configFile, switchyardConfig(options.models, options.bodyLimitBytes, options.extraConfig));
  const adminKey = `sy-admin-bench-${port}-${Date.now().toString(36)}`;
  const args = [...(options.nodeFlags ?? []), join(options.root ?? repoRoot, 'bin', 'switchyard.js'), 'start', '--config', configFile, '--port', String(port), '--data-dir', join(options.workDir, `${options.name}-data`), ...(options.workers ? ['--workers', String(options.workers)] : [])];
  const child = startChild({ name: options.name, command: process.execPath, args, cwd: options.workDir, logDir: options.workDir, env: { ...options.env, SWITCHYARD_ADMIN_KEY: adminKey } });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(`${baseUrl}/health`, child);
  const admin = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' } });
    const body = (await response.json()) as T;
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path} answered ${response.status}: ${JSON.stringify(body)}`);
    return body;
  };
  const created = await admin<{ key: string }>('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'bench-client' }) });
  return {
    name: 'switchyard',
    url: `${baseUrl}/v1/chat/completions`,
    headers: { authorization: `Bearer ${created.key}`, 'content-type': 'application/json' },
    child,
    baseUrl,
    adminKey,
    admin,
  };
}

/**
 * The Portkey gateway, pinned. Its own lockfile resolves @hono/node-server 1.13.x; a fresh install takes the newest 1.x,
 * whose immutable response headers break Portkey's streaming on Node 20 (https://github.com/Portkey-AI/gateway/issues/1389).
 */
const portkeyManifest = {
  private: true,
  description: 'Comparison peer for the benchmark; installed on demand, never a project dependency.',
  dependencies: { '@portkey-ai/gateway': '1.15.2', '@hono/node-server': '1.13.5' },
  overrides: { '@hono/node-server': '1.13.5' },
};

function installedVersion(packageName: string): string | undefined {
  const file = join(peersDir, 'node_modules', ...packageName.split('/'), 'package.json');
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version;
}

/** Installs the Portkey gateway into bench/.peers (ignored by git) when it is missing or not the pinned version. */
export function ensurePortkey(log: (line: string) => void): string {
  const pinned = Object.entries(portkeyManifest.dependencies).every(([name, version]) => installedVersion(name) === version);
  if (!pinned || !existsSync(portkeyEntry)) {
    log(`installing @portkey-ai/gateway ${portkeyManifest.dependencies['@portkey-ai/gateway']} into bench/.peers…`);
    mkdirSync(peersDir, { recursive: true });
    writeFileSync(join(peersDir, 'package.json'), `${JSON.stringify(portkeyManifest, null, 2)}\n`);
    execFileSync('npm', ['install', '--prefix', peersDir, '--no-audit', '--no-fund', '--loglevel=error'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
  }
  if (!existsSync(portkeyEntry)) throw new Error(`Portkey did not install: ${portkeyEntry} is missing`);
  return installedVersion('@portkey-ai/gateway') ?? 'unknown';
}

/** Starts the Portkey gateway's own Node server (`--headless`: no log console), routed to the mock by headers. */
export async function startPortkey(options: { mock: MockUpstream; workDir: string }): Promise<Target> {
  const port = await freePort();
  const child = startChild({ name: 'portkey', command: process.execPath, args: [portkeyEntry, `--port=${port}`, '--headless'], cwd: peersDir, logDir: options.workDir });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(`${baseUrl}/`, child);
  return {
    name: 'portkey',
    url: `${baseUrl}/v1/chat/completions`,
    headers: {
      authorization: 'Bearer sk-bench-upstream',
      'content-type': 'application/json',
      'x-portkey-provider': 'openai',
      'x-portkey-custom-host': `${options.mock.baseUrl}/v1`,
    },
    child,
  };
}

/** The same gateway target, routed to another mock: for Portkey the upstream is a header; for the others it is the URL or the model. */
export function viaUpstream(target: Target, mock: MockUpstream): Target {
  if (target.name === 'direct') return directTarget(mock);
  if (target.name === 'portkey') return { ...target, headers: { ...target.headers, 'x-portkey-custom-host': `${mock.baseUrl}/v1` } };
  return target;
}
