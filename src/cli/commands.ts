import { join } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import type { UsageGroup } from '../ledger/ledger-record.js';
import { publicKey } from '../server/admin/admin-routes.js';
import { KeyService } from '../server/auth/key-service.js';
import { adminRoles, isAdminRole } from '../core/admin-role.js';
import { recordSystemAudit } from '../server/admin/audit-trail.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { flagString, type ParsedArgs } from './parse-args.js';
import { formatTable } from './print-table.js';

export function dataDirOf(args: ParsedArgs, config: Config | undefined): string {
  return flagString(args, 'data-dir') ?? process.env.SWITCHYARD_DATA_DIR ?? config?.dataDir ?? join(process.cwd(), '.switchyard');
}

export function readConfig(args: ParsedArgs): Config {
  const file = flagString(args, 'config');
  return loadConfig({ ...(file === undefined ? {} : { file }), cwd: process.cwd(), env: process.env }).config;
}

/** Opens the store the config and data folder name, runs `action` on it, and closes it. */
export async function withStore<T>(args: ParsedArgs, action: (store: Store) => Promise<T>): Promise<T> {
  const config = readConfig(args);
  const store = await openStore(config.storage, join(dataDirOf(args, config), 'switchyard.db'));
  try {
    return await action(store);
  } finally {
    await store.close();
  }
}

async function rotateCommand(args: ParsedArgs, store: Store, keys: KeyService): Promise<void> {
  const id = args.positional[2];
  if (!id) throw new Error('Usage: switchyard keys rotate KEY_ID [--grace-seconds N]');
  const graceText = flagString(args, 'grace-seconds');
  if (graceText !== undefined && !/^\d+$/.test(graceText)) throw new Error(`--grace-seconds: expected a whole number of seconds, got "${graceText}".`);
  const graceSeconds = graceText === undefined ? readConfig(args).access.rotation.graceSeconds : Number(graceText);
  const rotated = await keys.rotate(id, graceSeconds * 1000);
  if (!rotated) throw new Error(`No active key with id "${id}".`);
  const until = new Date(rotated.record.previousValidUntil ?? Date.now()).toISOString();
  await recordSystemAudit(store, { action: 'key.rotate', target: id, after: { previousValidUntil: until } }, 'cli');
  process.stdout.write(`Rotated ${id}; the old secret works until ${until}. Store the new one now; it is not shown again:\n${rotated.key}\n`);
}

export async function keysCommand(args: ParsedArgs): Promise<void> {
  const action = args.positional[1];
  await withStore(args, async (store) => {
    const keys = new KeyService(store.keys, store.settings);
    if (action === 'create') {
      const name = flagString(args, 'name') ?? args.positional[2];
      if (!name) throw new Error('Usage: switchyard keys create --name NAME [--role admin|finance|viewer] [--models a,b] [--expires-at ISO] [--team TEAM]');
      const role = flagString(args, 'role');
      if (role !== undefined && !isAdminRole(role)) throw new Error(`--role: expected one of ${adminRoles.join(', ')}, got "${role}".`);
      const models = flagString(args, 'models');
      const expires = flagString(args, 'expires-at');
      const team = flagString(args, 'team');
      const created = await keys.create({
        name,
        ...(models ? { models: models.split(',').map((model) => model.trim()).filter(Boolean) } : {}),
        ...(expires ? { expiresAt: Date.parse(expires) } : {}),
        ...(team ? { team } : {}),
        ...(role ? { role } : {}),
      });
      await recordSystemAudit(store, { action: 'key.create', target: created.id, after: publicKey(created.record) }, 'cli');
      const kind = role ? `admin key with the ${role} role` : 'key';
      process.stdout.write(`Created ${kind} ${created.id} (${name}). Store it now; it is not shown again:\n${created.key}\n`);
    } else if (action === 'list') {
      const rows = (await keys.list()).map(publicKey);
      process.stdout.write(`${formatTable(['id', 'name', 'role', 'prefix', 'models', 'expires', 'revoked'], rows.map((key) => [key.id as string, key.name as string, (key.role as string | null) ?? 'client', `${key.prefix as string}…`, (key.models as string[] | null)?.join(',') ?? 'all', key.expiresAt as string | null, key.revokedAt as string | null]))}\n`);
    } else if (action === 'revoke') {
      const id = args.positional[2];
      if (!id) throw new Error('Usage: switchyard keys revoke KEY_ID');
      if (!(await keys.revoke(id))) throw new Error(`No key with id "${id}".`);
      await recordSystemAudit(store, { action: 'key.revoke', target: id }, 'cli');
      process.stdout.write(`Revoked ${id}.\n`);
    } else if (action === 'rotate') {
      await rotateCommand(args, store, keys);
    } else throw new Error('Usage: switchyard keys create|list|revoke|rotate');
  });
}

export async function usageCommand(args: ParsedArgs): Promise<void> {
  const groupBy = (flagString(args, 'group-by') ?? flagString(args, 'groupBy') ?? 'model') as UsageGroup;
  const from = flagString(args, 'from');
  const to = flagString(args, 'to');
  const rows = await withStore(args, (store) => store.ledger.usage({ groupBy, ...(from ? { from: Date.parse(from) } : {}), ...(to ? { to: Date.parse(to) } : {}) }));
  if (args.flags.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${formatTable([groupBy, 'requests', 'errors', 'input tokens', 'output tokens', 'cost USD'], rows.map((row) => [row.group, row.requests, row.errors, row.inputTokens, row.outputTokens, row.costUsd.toFixed(6)]))}\n`);
}
