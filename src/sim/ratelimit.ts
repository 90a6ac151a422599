/** Atlas's token bucket: each request costs a token; `refillPerSecond` tokens come back. */
import type { SimClock } from './clock.js';

export interface RateLimitOptions {
  capacity: number;
  refillPerSecond: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly clock: SimClock,
    public options: RateLimitOptions | undefined,
  ) {}

  /** Remaining tokens after this request, or the seconds to wait when none is left. */
  take(principal: string): { ok: true; limit: number; remaining: number } | { ok: false; retryAfterSeconds: number } | undefined {
    if (!this.options) return undefined;
    const { capacity, refillPerSecond } = this.options;
    const now = this.clock.now();
    const bucket = this.buckets.get(principal) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * refillPerSecond);
    bucket.at = now;
    this.buckets.set(principal, bucket);
    if (bucket.tokens < 1) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerSecond)) };
    bucket.tokens -= 1;
    return { ok: true, limit: capacity, remaining: Math.floor(bucket.tokens) };
  }

  reset(): void {
    this.buckets.clear();
  }
}
