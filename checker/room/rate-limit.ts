/**
 * Token buckets by key (an address, a learner): a burst is allowed, then a steady rate. The
 * table is bounded, so a flood of new keys cannot grow it without end.
 */
export interface Rate {
  burst: number;
  perSecond: number;
}

const MAX_KEYS = 10_000;

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: Rate,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** True (and one token spent) when `key` may go ahead now. */
  take(key: string): boolean {
    const now = this.now();
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= MAX_KEYS) this.buckets.delete(this.buckets.keys().next().value!);
      b = { tokens: this.rate.burst, at: now };
    } else {
      this.buckets.delete(key);
      b.tokens = Math.min(this.rate.burst, b.tokens + ((now - b.at) / 1000) * this.rate.perSecond);
      b.at = now;
    }
    // Re-inserted last: the first key in the map is always the least recently seen.
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
