import { SagaSyncError } from '@sagasync/core';
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, RETRYABLE_STATUSES, type RetryPolicy } from './retry.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Runtime dependencies of every network call, injectable for tests. */
export interface HttpOptions {
  fetch?: FetchLike;
  /** Per attempt. Default 30 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Clock, epoch milliseconds. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Told about each retry, e.g. to show "rate limited, waiting 2 s". */
  onRetry?: (info: { attempt: number; status: number | null; delayMs: number; what: string }) => void;
}

export interface ResolvedHttp {
  fetch: FetchLike;
  timeoutMs: number;
  retry: RetryPolicy;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  onRetry?: HttpOptions['onRetry'];
}

export function resolveHttp(options: HttpOptions = {}): ResolvedHttp {
  return {
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs: options.timeoutMs ?? 30_000,
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    now: options.now ?? Date.now,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
    onRetry: options.onRetry,
  };
}

export interface Attempt {
  url: string;
  init: RequestInit;
}

/**
 * Sends a request, retrying transient failures with backoff. `build` runs per attempt, so signed
 * requests get a fresh timestamp. Returns the first non-retryable response (any status); throws
 * `rate_limited` / `remote_failure` once retries are exhausted. `what` names the call in errors
 * (method and path, never headers or bodies, which hold secrets).
 */
export async function sendWithRetry(http: ResolvedHttp, what: string, build: () => Attempt, options: { retryNetworkErrors?: boolean } = {}): Promise<Response> {
  const retryNetworkErrors = options.retryNetworkErrors ?? true;
  for (let attempt = 1; ; attempt++) {
    const { url, init } = build();
    let response: Response | null = null;
    let failure: unknown = null;
    try {
      response = await http.fetch(url, { ...init, signal: AbortSignal.timeout(http.timeoutMs) });
    } catch (error) {
      failure = error;
      if (!retryNetworkErrors) throw networkError(what, error, http.timeoutMs);
    }
    if (response && !RETRYABLE_STATUSES.has(response.status)) return response;

    const status = response?.status ?? null;
    const retryAfterMs = response ? parseRetryAfter(response.headers.get('retry-after'), http.now()) : null;
    // Free the connection: the body of a 429/503 is not needed.
    await response?.body?.cancel().catch(() => undefined);
    if (retryAfterMs !== null && retryAfterMs > http.retry.maxRetryAfterMs) {
      throw new SagaSyncError('rate_limited', `Audible asked to wait ${Math.ceil(retryAfterMs / 1000)} s before ${what}; try again later`, {
        details: { status, retryAfterMs },
      });
    }
    if (attempt >= http.retry.maxAttempts) {
      if (failure) throw networkError(what, failure, http.timeoutMs, attempt);
      if (status === 429) {
        throw new SagaSyncError('rate_limited', `Audible kept rate-limiting ${what} (HTTP 429 after ${attempt} attempts); try again later`, {
          details: { status, attempts: attempt },
        });
      }
      throw new SagaSyncError('remote_failure', `Audible is unavailable for ${what} (HTTP ${status} after ${attempt} attempts)`, {
        details: { status, attempts: attempt },
      });
    }
    const delayMs = backoffDelay(attempt, http.retry, retryAfterMs, http.random);
    http.onRetry?.({ attempt, status, delayMs, what });
    await http.sleep(delayMs);
  }
}

function networkError(what: string, error: unknown, timeoutMs: number, attempts = 1): SagaSyncError {
  const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
  const limit = Number.isFinite(timeoutMs) ? ` after ${timeoutMs} ms` : '';
  const message = timedOut ? `${what} timed out${limit}` : `${what} failed: ${error instanceof Error ? error.message : String(error)}`;
  return new SagaSyncError('remote_failure', attempts > 1 ? `${message} (${attempts} attempts)` : message, { cause: error, details: { timedOut, attempts } });
}

/** Reads a JSON body; an unreadable one is a remote failure naming the call. */
export async function readJson(response: Response, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    // The attempt's timeout also covers reading the body.
    throw networkError(what, error, NaN);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new SagaSyncError('remote_failure', `${what} answered HTTP ${response.status} with a body that is not JSON`, { cause: error, details: { status: response.status } });
  }
}
