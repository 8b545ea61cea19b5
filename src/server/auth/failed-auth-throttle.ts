export interface FailedAuthOptions {
  burst: number;
  perMinute: number;
  maxAddresses: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket of failed authentications per client address: `burst` failures at once, refilled at `perMinute`.
 * At most `maxAddresses` buckets are kept; the least recently failing address is forgotten first, which can only
 * give that address its full allowance back.
 */
export class FailedAuthThrottle {
  private readonly buckets = new Map<string, Bucket>();
  private readonly refillPerMs: number;

  constructor(private readonly options: FailedAuthOptions) {
    this.refillPerMs = options.perMinute / 60_000;
  }

  private tokensAt(bucket: Bucket, now: number): number {
    return Math.min(this.options.burst, bucket.tokens + Math.max(0, now - bucket.at) * this.refillPerMs);
  }

  /** Milliseconds until this address may fail again; 0 when it may now. */
  waitMs(address: string, now: number): number {
    const bucket = this.buckets.get(address);
    if (!bucket) return 0;
    const tokens = this.tokensAt(bucket, now);
    return tokens >= 1 ? 0 : Math.ceil((1 - tokens) / this.refillPerMs);
  }

  recordFailure(address: string, now: number): void {
    const bucket = this.buckets.get(address);
    const tokens = bucket ? this.tokensAt(bucket, now) : this.options.burst;
    // Deleting first moves the address to the end of the map's order, which is least recently failing first.
    this.buckets.delete(address);
    this.buckets.set(address, { tokens: Math.max(0, tokens - 1), at: now });
    while (this.buckets.size > this.options.maxAddresses) {
      const oldest = this.buckets.keys().next().value as string;
      this.buckets.delete(oldest);
    }
  }

  /** Addresses remembered now. */
  get size(): number {
    return this.buckets.size;
  }
}
