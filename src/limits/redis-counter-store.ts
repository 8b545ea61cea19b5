import { createHash } from 'node:crypto';
import { createClient } from 'redis';
import { assertInteger, bucketKey, describeWindow, windowSlots, type CounterStore, type WindowHit } from './counter-store.js';

/** Each operation is one Lua script, so it runs atomically on the server in one round trip. */
const scripts = {
  reserve: `
local total = tonumber(redis.call('GET', KEYS[1]) or '0')
if total + tonumber(ARGV[1]) > tonumber(ARGV[2]) then return {0, total} end
total = redis.call('INCRBY', KEYS[1], ARGV[1])
if tonumber(ARGV[3]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return {1, total}`,
  adjust: `
local total = redis.call('INCRBY', KEYS[1], ARGV[1])
if tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return total`,
  // Same expression and order as weightedUsage() in counter-store.ts.
  windowHit: `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
local amount = tonumber(ARGV[1])
local window = tonumber(ARGV[3])
local used = current + (previous * (window - tonumber(ARGV[4]))) / window
if used + amount > tonumber(ARGV[2]) then return {0, current, previous} end
current = redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], window * 2)
return {1, current, previous}`,
  windowUndo: `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('DECRBY', KEYS[1], ARGV[1]) end
return 0`,
} as const;

type ScriptName = keyof typeof scripts;
const digests = Object.fromEntries(
  Object.entries(scripts).map(([name, source]) => [name, createHash('sha1').update(source).digest('hex')]),
) as Record<ScriptName, string>;

export type RedisClient = ReturnType<typeof createClient>;

export interface RedisCounterStoreOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://` for TLS. */
  url: string;
  /** Prepended to every key, so several gateways (or test runs) can share one Redis. */
  keyPrefix?: string;
  /** A command unanswered after this long fails (the request then fails instead of hanging). */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Connection errors after the first connect (the client reconnects on its own). */
  onError?: (error: unknown) => void;
}

/** Opens a connection and answers a store once Redis has said hello; rejects if it cannot connect. */
export async function connectRedisCounterStore(options: RedisCounterStoreOptions): Promise<RedisCounterStore> {
  let ready = false;
  const client = createClient({
    url: options.url,
    // Commands fail at once while the connection is down, instead of queueing up behind it.
    disableOfflineQueue: true,
    commandOptions: { timeout: options.commandTimeoutMs ?? 2_000 },
    socket: {
      connectTimeout: options.connectTimeoutMs ?? 5_000,
      reconnectStrategy: (retries: number, cause: Error) => (ready ? Math.min(50 * 2 ** retries, 2_000) : cause),
    },
  });
  client.on('error', (error: unknown) => {
    if (ready) options.onError?.(error);
  });
  await client.connect();
  ready = true;
  return new RedisCounterStore(client, options.keyPrefix ?? 'switchyard:');
}

export class RedisCounterStore implements CounterStore {
  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
  ) {}

  /** The connection, shared with other Redis-backed stores (the response cache) of this gateway. */
  get connection(): RedisClient {
    return this.client;
  }

  get keyPrefix(): string {
    return this.prefix;
  }

  async reserve(key: string, amount: number, limit: number, ttlMs: number): Promise<{ allowed: boolean; total: number }> {
    assertInteger('amount', amount);
    const [allowed, total] = numbers(await this.run('reserve', [this.prefix + key], [amount, limit, ttlMs]), 2);
    return { allowed: allowed === 1, total };
  }

  async adjust(key: string, delta: number, ttlMs: number): Promise<number> {
    assertInteger('delta', delta);
    return integer(await this.run('adjust', [this.prefix + key], [delta, ttlMs]));
  }

  async get(key: string): Promise<number> {
    const value = await this.client.get(this.prefix + key);
    return value === null ? 0 : Number(value);
  }

  async windowHit(key: string, amount: number, limit: number, windowMs: number, now: number): Promise<WindowHit> {
    assertInteger('amount', amount);
    const { index, elapsedMs } = windowSlots(now, windowMs);
    const keys = [bucketKey(this.prefix + key, index), bucketKey(this.prefix + key, index - 1)];
    const reply = await this.run('windowHit', keys, [amount, limit, windowMs, elapsedMs]);
    const [allowed, current, previous] = numbers(reply, 3);
    return describeWindow({ allowed: allowed === 1, current, previous, amount, limit, elapsedMs, windowMs });
  }

  async windowUndo(key: string, amount: number, windowMs: number, hitAt: number): Promise<void> {
    await this.run('windowUndo', [bucketKey(this.prefix + key, windowSlots(hitAt, windowMs).index)], [amount]);
  }

  async close(): Promise<void> {
    if (this.client.isOpen) await this.client.close();
  }

  /** EVALSHA, falling back to EVAL (which also caches the script) the first time a server lacks it. */
  private async run(name: ScriptName, keys: string[], args: number[]): Promise<unknown> {
    const options = { keys, arguments: args.map(String) };
    try {
      return await this.client.evalSha(digests[name], options);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.client.eval(scripts[name], options);
    }
  }
}

function integer(reply: unknown): number {
  if (typeof reply !== 'number') throw new Error(`Unexpected Redis reply: ${String(reply)}`);
  return reply;
}

function numbers(reply: unknown, count: number): number[] {
  if (!Array.isArray(reply) || reply.length !== count) throw new Error(`Unexpected Redis reply: ${String(reply)}`);
  return reply.map((item: unknown) => integer(item));
}
