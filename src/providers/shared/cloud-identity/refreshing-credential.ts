/** A credential that is fetched once, shared by concurrent callers, and fetched again shortly before it expires. */
export interface Expiring<T> {
  value: T;
  /** Milliseconds since the epoch; undefined means it does not expire (static keys). */
  expiresAtMs: number | undefined;
}

/** Credentials are replaced this long before they expire, so no request is signed with one about to lapse. */
export const defaultRefreshMarginMs = 5 * 60_000;

export class RefreshingCredential<T> {
  private current: Expiring<T> | undefined;
  private pending: Promise<Expiring<T>> | undefined;

  constructor(
    private readonly fetchCredential: () => Promise<Expiring<T>>,
    private readonly now: () => number = Date.now,
    private readonly refreshMarginMs = defaultRefreshMarginMs,
  ) {}

  private fresh(credential: Expiring<T> | undefined): credential is Expiring<T> {
    if (credential === undefined) return false;
    return credential.expiresAtMs === undefined || credential.expiresAtMs - this.refreshMarginMs > this.now();
  }

  async get(): Promise<T> {
    if (this.fresh(this.current)) return this.current.value;
    if (!this.pending) {
      this.pending = this.fetchCredential().finally(() => {
        this.pending = undefined;
      });
    }
    const fetched = await this.pending;
    this.current = fetched;
    return fetched.value;
  }
}

/** One refreshing credential per key (provider name plus the settings that pick the identity). */
export class CredentialRegistry<T> {
  private readonly entries = new Map<string, RefreshingCredential<T>>();

  obtain(key: string, create: () => RefreshingCredential<T>): RefreshingCredential<T> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = create();
      this.entries.set(key, entry);
    }
    return entry;
  }

  clear(): void {
    this.entries.clear();
  }
}
