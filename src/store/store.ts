import type { RequestRecord, UsageQuery, UsageRow } from '../ledger/ledger-record.js';

export interface KeyRecord {
  id: string;
  name: string;
  /** SHA-256 of the key, hex. The key itself is never stored. */
  hash: string;
  /** First characters of the key, to recognise it in listings. */
  prefix: string;
  models: string[] | null;
  team: string | null;
  tags: Record<string, string>;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
}

export interface KeyRepository {
  insert(key: KeyRecord): Promise<void>;
  list(): Promise<KeyRecord[]>;
  findByHash(hash: string): Promise<KeyRecord | undefined>;
  /** Returns false when no such key exists. */
  revoke(id: string, at: number): Promise<boolean>;
}

export interface LedgerRepository {
  /** Writes a batch atomically: all records or none. */
  insertBatch(records: RequestRecord[]): Promise<void>;
  usage(query: UsageQuery): Promise<UsageRow[]>;
  count(): Promise<{ requests: number; attempts: number }>;
  get(id: string): Promise<RequestRecord | undefined>;
}

export interface SettingRepository {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
}

/** Everything the gateway persists, behind one interface per concern. */
export interface Store {
  readonly driver: string;
  keys: KeyRepository;
  ledger: LedgerRepository;
  settings: SettingRepository;
  close(): Promise<void>;
}
