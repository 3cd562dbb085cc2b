/** Errors DynamoDB answers when a partition or the account is over its rate: wait and send again. */
const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'LimitExceededException',
]);

export interface RetryOptions {
  /** Attempts in all, the first included. @default 8 */
  attempts?: number;
  /** The first wait's ceiling; each retry doubles it (full jitter). @default 50 */
  baseMs?: number;
  /** No wait is longer. @default 5000 */
  capMs?: number;
}

export function isThrottling(error: unknown): boolean {
  return error instanceof Error && THROTTLING.has(error.name);
}

/** Full-jitter exponential backoff (the AWS architecture blog's recommendation): random in [0, min(cap, base * 2^n)). */
export function backoffMs(attempt: number, options: RetryOptions = {}): number {
  const ceiling = Math.min(options.capMs ?? 5000, (options.baseMs ?? 50) * 2 ** attempt);
  return Math.floor(Math.random() * ceiling);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `send` again after a backoff while it fails with throttling (beyond the SDK's own few
 * retries, so a bulk import rides out a burst instead of failing half way); other errors pass through.
 */
export async function withThrottlingRetry<T>(send: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 8;
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!isThrottling(error) || attempt + 1 >= attempts) throw error;
      await sleep(backoffMs(attempt, options));
    }
  }
}
