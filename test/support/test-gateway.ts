import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { parseConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/core/logger.js';
import { startGateway, type RunningGateway, type StartOptions } from '../../src/server/start-server.js';

export const adminKey = 'sy-admin-test-key';

export interface TestGateway {
  running: RunningGateway;
  url: string;
  dataDir: string;
  /** A client key created through the admin API. */
  clientKey: string;
  client: OpenAI;
  admin(path: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

/** Starts a gateway on a free loopback port with its own data folder, from a config object as YAML would give it. */
export async function startTestGateway(rawConfig: unknown, env: Record<string, string> = {}, extra: Pick<StartOptions, 'captures'> = {}): Promise<TestGateway> {
  const config = parseConfig(rawConfig, env);
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-test-'));
  const running = await startGateway({ config, logger: silentLogger, dataDir, host: '127.0.0.1', port: 0, adminKey, ...extra });
  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${running.url}${path}`, { ...init, headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) } });
  const created = (await (await admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'test-app' }) })).json()) as { key: string };
  return {
    running,
    url: running.url,
    dataDir,
    clientKey: created.key,
    client: new OpenAI({ apiKey: created.key, baseURL: `${running.url}/v1`, maxRetries: 0 }),
    admin,
    async stop() {
      await running.shutdown(1_000);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
