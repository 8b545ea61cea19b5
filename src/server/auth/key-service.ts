import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { GatewayError } from '../../core/errors.js';
import type { BudgetSpec, RateLimitSpec } from '../../limits/limit-types.js';
import type { KeyRecord, KeyRepository, SettingRepository } from '../../store/store.js';

export interface CreateKeyInput {
  name: string;
  models?: string[];
  expiresAt?: number;
  team?: string;
  tags?: Record<string, string>;
  budget?: BudgetSpec;
  rateLimit?: RateLimitSpec;
}

export interface Principal {
  kind: 'admin' | 'key';
  key: KeyRecord | undefined;
}

const keyPrefix = 'sy-';
const cacheTtlMs = 5_000;

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function generateKey(): string {
  return `${keyPrefix}${randomBytes(24).toString('base64url')}`;
}

function sameHash(left: string, right: string): boolean {
  const a = Buffer.from(left, 'hex');
  const b = Buffer.from(right, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Issues and checks keys. Keys are stored as SHA-256 hashes; lookups are cached for a few seconds so the hot path
 * does not touch the store, and a revocation made through this process takes effect at once.
 */
export class KeyService {
  private readonly cache = new Map<string, { record: KeyRecord | undefined; until: number }>();
  private adminHash: string | undefined;

  constructor(
    private readonly keys: KeyRepository,
    private readonly settings: SettingRepository,
  ) {}

  /** Sets up the admin key: from the environment, from an earlier start, or newly generated (returned once to print). */
  async initAdmin(fromEnv: string | undefined): Promise<{ generated: string | undefined }> {
    if (fromEnv) {
      this.adminHash = hashKey(fromEnv);
      return { generated: undefined };
    }
    const stored = await this.settings.get('admin_key_hash');
    if (stored) {
      this.adminHash = stored;
      return { generated: undefined };
    }
    const key = `sy-admin-${randomBytes(24).toString('base64url')}`;
    this.adminHash = hashKey(key);
    await this.settings.set('admin_key_hash', this.adminHash);
    return { generated: key };
  }

  async create(input: CreateKeyInput, now = Date.now()): Promise<{ id: string; key: string; record: KeyRecord }> {
    const key = generateKey();
    const record: KeyRecord = {
      id: `key_${randomUUID().replaceAll('-', '').slice(0, 20)}`,
      name: input.name,
      hash: hashKey(key),
      prefix: key.slice(0, keyPrefix.length + 6),
      models: input.models ?? null,
      team: input.team ?? null,
      tags: input.tags ?? {},
      createdAt: now,
      expiresAt: input.expiresAt ?? null,
      revokedAt: null,
      budget: input.budget ?? null,
      rateLimit: input.rateLimit ?? null,
    };
    await this.keys.insert(record);
    return { id: record.id, key, record };
  }

  list(): Promise<KeyRecord[]> {
    return this.keys.list();
  }

  async revoke(id: string, now = Date.now()): Promise<boolean> {
    const revoked = await this.keys.revoke(id, now);
    for (const [hash, entry] of this.cache) if (entry.record?.id === id) this.cache.delete(hash);
    return revoked;
  }

  isAdmin(key: string): boolean {
    return this.adminHash !== undefined && sameHash(hashKey(key), this.adminHash);
  }

  /** Resolves a presented key to its principal, or throws `authentication_failed` with the reason. */
  async authenticate(key: string | undefined, now = Date.now()): Promise<Principal> {
    if (!key) throw new GatewayError('authentication_failed', 'Missing API key. Send it as "Authorization: Bearer <key>" (or "x-api-key: <key>").');
    const hash = hashKey(key);
    if (this.adminHash !== undefined && sameHash(hash, this.adminHash)) return { kind: 'admin', key: undefined };
    let cached = this.cache.get(hash);
    if (!cached || cached.until < now) {
      const record = await this.keys.findByHash(hash);
      cached = { record, until: now + cacheTtlMs };
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(hash, cached);
    }
    const record = cached.record;
    if (!record || !sameHash(hash, record.hash)) throw new GatewayError('authentication_failed', 'Invalid API key. Check the key, or ask an administrator for a new one.');
    if (record.revokedAt !== null) throw new GatewayError('authentication_failed', 'This API key has been revoked.');
    if (record.expiresAt !== null && record.expiresAt <= now) throw new GatewayError('authentication_failed', 'This API key has expired.');
    return { kind: 'key', key: record };
  }
}

/** Whether a key may call a model or route name; null means every model. */
export function assertModelAllowed(principal: Principal, model: string): void {
  const allowed = principal.key?.models;
  if (allowed && !allowed.includes(model)) {
    throw new GatewayError('permission_denied', `This API key may not use model "${model}". Allowed: ${allowed.join(', ')}.`, { param: 'model' });
  }
}
