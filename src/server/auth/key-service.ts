import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { AdminRole } from '../../core/admin-role.js';
import { GatewayError } from '../../core/errors.js';
import type { BudgetSpec, RateLimitSpec } from '../../limits/limit-types.js';
import type { KeyRecord, KeyRepository, KeyUpdate, SettingRepository } from '../../store/store.js';

export interface CreateKeyInput {
  name: string;
  models?: string[];
  expiresAt?: number;
  team?: string;
  tags?: Record<string, string>;
  budget?: BudgetSpec;
  rateLimit?: RateLimitSpec;
  /** Makes an admin key (`sy-admin-...`) with this role instead of a client key. */
  role?: AdminRole;
  allowedCidrs?: string[];
}

/** Who is calling: an admin key (the bootstrap one has no record) or a client key. */
export type Principal =
  | { kind: 'admin'; key: KeyRecord | undefined; role: AdminRole }
  | { kind: 'key'; key: KeyRecord | undefined };

const keyPrefix = 'sy-';
const adminKeyPrefix = 'sy-admin-';
const cacheTtlMs = 5_000;
/** A key that authenticated within this long passes an address's failed-authentication throttle. */
const recentWindowMs = 3_600_000;
const maxRecent = 100_000;

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function generateKey(prefix = keyPrefix): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`;
}

/** The first characters of a key, shown in listings to recognise it. */
function visiblePrefix(key: string): string {
  const prefix = key.startsWith(adminKeyPrefix) ? adminKeyPrefix : keyPrefix;
  return key.slice(0, prefix.length + 6);
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
  /** Hash of each key that authenticated lately, and when; oldest first. */
  private readonly recent = new Map<string, number>();
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
    const key = generateKey(adminKeyPrefix);
    this.adminHash = hashKey(key);
    await this.settings.set('admin_key_hash', this.adminHash);
    return { generated: key };
  }

  async create(input: CreateKeyInput, now = Date.now()): Promise<{ id: string; key: string; record: KeyRecord }> {
    const key = generateKey(input.role ? adminKeyPrefix : keyPrefix);
    const record: KeyRecord = {
      id: `key_${randomUUID().replaceAll('-', '').slice(0, 20)}`,
      name: input.name,
      hash: hashKey(key),
      prefix: visiblePrefix(key),
      models: input.models ?? null,
      team: input.team ?? null,
      tags: input.tags ?? {},
      createdAt: now,
      expiresAt: input.expiresAt ?? null,
      revokedAt: null,
      budget: input.budget ?? null,
      rateLimit: input.rateLimit ?? null,
      role: input.role ?? null,
      previousHash: null,
      previousValidUntil: null,
      allowedCidrs: input.allowedCidrs ?? null,
    };
    await this.keys.insert(record);
    return { id: record.id, key, record };
  }

  list(): Promise<KeyRecord[]> {
    return this.keys.list();
  }

  async revoke(id: string, now = Date.now()): Promise<boolean> {
    const revoked = await this.keys.revoke(id, now);
    this.forget(id);
    return revoked;
  }

  /** Changes a key's limits; returns the key before and after, or undefined when no such key exists. */
  async update(id: string, update: KeyUpdate): Promise<{ before: KeyRecord; after: KeyRecord } | undefined> {
    const before = await this.keys.get(id);
    if (!before) return undefined;
    const after = await this.keys.update(id, update);
    this.forget(id);
    return after ? { before, after } : undefined;
  }

  /**
   * Gives a key a new secret. The old one keeps working for `graceMs`; a later rotation ends that at once, since only
   * one previous secret is kept. Undefined when no such key exists or it is revoked.
   */
  async rotate(id: string, graceMs: number, now = Date.now()): Promise<{ key: string; record: KeyRecord } | undefined> {
    const existing = await this.keys.get(id);
    if (!existing || existing.revokedAt !== null) return undefined;
    const key = generateKey(existing.role ? adminKeyPrefix : keyPrefix);
    const record = await this.keys.rotate(id, { hash: hashKey(key), prefix: visiblePrefix(key), previousValidUntil: now + graceMs });
    this.forget(id);
    return record ? { key, record } : undefined;
  }

  /** Whether this key authenticated within the last hour (it may still have been revoked since). */
  recentlyValid(key: string, now = Date.now()): boolean {
    const seen = this.recent.get(hashKey(key));
    return seen !== undefined && now - seen < recentWindowMs;
  }

  private remember(hash: string, now: number): void {
    this.recent.delete(hash);
    this.recent.set(hash, now);
    if (this.recent.size > maxRecent) this.recent.delete(this.recent.keys().next().value as string);
  }

  /** Drops cached lookups of a key so that a change made through this process takes effect at once. */
  private forget(id: string): void {
    for (const [hash, entry] of this.cache) if (entry.record?.id === id) this.cache.delete(hash);
  }

  isAdmin(key: string): boolean {
    return this.adminHash !== undefined && sameHash(hashKey(key), this.adminHash);
  }

  /** Resolves a presented key to its principal, or throws `authentication_failed` with the reason. */
  async authenticate(key: string | undefined, now = Date.now()): Promise<Principal> {
    if (!key) throw new GatewayError('authentication_failed', 'Missing API key. Send it as "Authorization: Bearer <key>" (or "x-api-key: <key>").');
    const hash = hashKey(key);
    if (this.adminHash !== undefined && sameHash(hash, this.adminHash)) {
      this.remember(hash, now);
      return { kind: 'admin', key: undefined, role: 'admin' };
    }
    let cached = this.cache.get(hash);
    if (!cached || cached.until < now) {
      const record = await this.keys.findByHash(hash);
      cached = { record, until: now + cacheTtlMs };
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(hash, cached);
    }
    const record = cached.record;
    const current = record !== undefined && sameHash(hash, record.hash);
    const previous = !current && typeof record?.previousHash === 'string' && sameHash(hash, record.previousHash);
    if (!record || (!current && !previous)) throw new GatewayError('authentication_failed', 'Invalid API key. Check the key, or ask an administrator for a new one.');
    if (record.revokedAt !== null) throw new GatewayError('authentication_failed', 'This API key has been revoked.');
    if (record.expiresAt !== null && record.expiresAt <= now) throw new GatewayError('authentication_failed', 'This API key has expired.');
    if (previous && (record.previousValidUntil ?? 0) <= now) throw new GatewayError('authentication_failed', 'This API key was rotated and its grace period has ended. Use the new key.');
    this.remember(hash, now);
    return record.role ? { kind: 'admin', key: record, role: record.role } : { kind: 'key', key: record };
  }
}

/** Whether a key may call a model or route name; null means every model. */
export function assertModelAllowed(principal: Principal, model: string): void {
  const allowed = principal.key?.models;
  if (allowed && !allowed.includes(model)) {
    throw new GatewayError('permission_denied', `This API key may not use model "${model}". Allowed: ${allowed.join(', ')}.`, { param: 'model' });
  }
}
