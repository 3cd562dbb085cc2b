/** How transient failures (429, 503, 502, 504, timeouts, dropped connections) are retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** First backoff step; doubles per attempt. */
  baseDelayMs: number;
  /** Ceiling of one backoff step. */
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the call fails with `rate_limited`. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 16_000,
  maxRetryAfterMs: 120_000,
};

export const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/**
 * `Retry-After` in milliseconds: delay-seconds (fractions tolerated) or an HTTP date. Null when
 * absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (text === '') return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

/**
 * Wait before retry number `retry` (1 for the first retry). The server's `Retry-After` wins when
 * given (plus up to 10 % jitter, so many clients do not return at once); otherwise exponential
 * backoff with "equal jitter": half the step fixed, half random.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, retryAfterMs: number | null, random: () => number): number {
  if (retryAfterMs !== null) return Math.round(retryAfterMs * (1 + 0.1 * random()));
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(step / 2 + (step / 2) * random());
}
