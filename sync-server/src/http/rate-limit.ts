import { HttpError } from './errors';

/**
 * Fixed-window counters kept in this process's memory: sign-in failures per account and per client
 * address, sync requests per user. Written here rather than taken from @fastify/rate-limit because
 * sign-in must count only FAILED attempts, under two keys at once, and refuse before the password is
 * checked (a locked-out account's right password is refused too, and the answer is the same whether
 * the account exists or not); that plugin counts every request under one key.
 *
 * Several instances behind a load balancer each keep their own counts, so an attacker spreading
 * requests over N instances gets N times the allowance: run one instance for sign-in, or put the
 * counts in a shared store (Redis, a Postgres table) behind the same `RateLimiter` interface.
 */

export interface RateRule {
  /** Hits allowed in one window; 0 turns the limit off. */
  max: number;
  windowMs: number;
}

interface Window {
  count: number;
  resetAt: number;
}

/** Keys kept before expired windows are swept: bounds memory under a flood of distinct keys. */
const SWEEP_AT = 50_000;

export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    readonly rule: RateRule,
    private readonly now: () => number = Date.now,
  ) {}

  private current(key: string, at: number): Window | undefined {
    const window = this.windows.get(key);
    if (window && window.resetAt <= at) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  /** Seconds until `key` may try again, or 0 when it is under its limit. */
  retryAfter(key: string): number {
    if (this.rule.max <= 0) return 0;
    const at = this.now();
    const window = this.current(key, at);
    if (!window || window.count < this.rule.max) return 0;
    return Math.max(1, Math.ceil((window.resetAt - at) / 1000));
  }

  /** Counts one hit against `key`. */
  hit(key: string): void {
    if (this.rule.max <= 0) return;
    const at = this.now();
    const window = this.current(key, at);
    if (window) window.count++;
    else {
      if (this.windows.size >= SWEEP_AT) this.sweep(at);
      this.windows.set(key, { count: 1, resetAt: at + this.rule.windowMs });
    }
  }

  /** Counts one hit and throws 429 if it goes over the limit. */
  take(key: string, message: string): void {
    const wait = this.retryAfter(key);
    if (wait > 0) throw new RateLimited(message, wait);
    this.hit(key);
  }

  /** Takes back one hit of `key` (an attempt that turned out not to count). */
  release(key: string): void {
    const window = this.current(key, this.now());
    if (window && window.count > 0) window.count--;
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private sweep(at: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= at) this.windows.delete(key);
    // Still full of live windows (a flood of distinct keys): forget the oldest rather than grow.
    for (const key of this.windows.keys()) {
      if (this.windows.size < SWEEP_AT) break;
      this.windows.delete(key);
    }
  }
}

/** 429 Too Many Requests with `Retry-After` (seconds). */
export class RateLimited extends HttpError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, `${message}: try again in ${retryAfterSeconds} s`);
  }
}

/** The limits of one app; every one can be set from the environment (config.ts, `.env.example`). */
export interface RateLimits {
  /** Failed sign-ins per account (the email as typed, lower-cased) per window. */
  loginPerAccount: number;
  /** Failed sign-ins per client address per window (an office behind one NAT shares it). */
  loginPerAddress: number;
  loginWindowSeconds: number;
  /** Sync requests (pull, push, stream) per user per minute, over all their devices. */
  syncPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  loginPerAccount: 10,
  loginPerAddress: 100,
  loginWindowSeconds: 15 * 60,
  // A first sync pulls every collection in pages of up to 2,000 documents; 3 devices doing so at once stay far below.
  syncPerMinute: 1200,
};
