import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { connectRedisCounterStore, type RedisCounterStore } from './redis-counter-store.js';

/** From dist/src/limits/ back to the checkout's scripts/ folder. */
const ensureScript = fileURLToPath(new URL('../../../scripts/ensure-redis.sh', import.meta.url));

let serverUrl: Promise<string> | undefined;

function startPrivateServer(): string {
  const result = spawnSync('bash', [ensureScript], { encoding: 'utf8', timeout: 10 * 60_000, maxBuffer: 64 * 1024 * 1024 });
  const lines = (result.stdout ?? '').split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  const url = lines.at(-1);
  if (result.error || result.status !== 0 || !url || !/^rediss?:\/\//.test(url)) {
    const reason = result.error ? result.error.message : `exit status ${String(result.status)}, signal ${String(result.signal)}`;
    throw new Error(`scripts/ensure-redis.sh failed (${reason})\n--- stdout\n${result.stdout ?? ''}\n--- stderr\n${result.stderr ?? ''}`);
  }
  return url;
}

/** The test server: SWITCHYARD_TEST_REDIS_URL when set, otherwise the private one scripts/ensure-redis.sh runs. */
export function testRedisUrl(): Promise<string> {
  serverUrl ??= Promise.resolve().then(() => process.env.SWITCHYARD_TEST_REDIS_URL || startPrivateServer());
  return serverUrl;
}

/** A key prefix no other test run uses. */
export function uniqueTestPrefix(): string {
  return `switchyard-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
}

export function connectTestStore(prefix: string): Promise<RedisCounterStore> {
  return testRedisUrl().then((url) => connectRedisCounterStore({ url, keyPrefix: prefix }));
}

/** Deletes every key a test run wrote under its prefix. */
export async function dropTestPrefix(prefix: string): Promise<void> {
  const client = createClient({ url: await testRedisUrl() });
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      if (keys.length > 0) await client.del(keys);
    }
  } finally {
    await client.close();
  }
}
