import { Client, LogLevel } from '@notionhq/client';
import { SagaSyncError } from '@sagasync/core';
import { systemClock, type Clock } from './clock.js';
import { classifyFailure, toSagaSyncError, type Failure } from './classify-error.js';
import { createRateLimiter, type RateLimiter } from './rate-limiter.js';

export const NOTION_VERSION = '2025-09-03';

/** How to reach Notion. Apps fill it from NOTION_TOKEN / NOTION_BASE_URL; the library never reads env. */
export interface NotionConnectionOptions {
  token: string;
  /** e.g. a proxy or tools/fake-notion; default https://api.notion.com. */
  baseUrl?: string;
  /** Average request rate; default 3 (Notion's documented limit). */
  requestsPerSecond?: number;
  /** Back-to-back requests before spacing; default 1. */
  burst?: number;
  /** Attempts per request before giving up on retryable failures; default 8. */
  maxAttempts?: number;
  /** First back-off delay for 5xx and 409, doubled each attempt; default 500 ms. */
  initialBackoffMs?: number;
  /** Per-request timeout; default 60 s. */
  timeoutMs?: number;
  clock?: Clock;
  /**
   * A limiter shared by every use case of one integration (a server running a push while
   * webhooks pull), so together they stay under Notion's limit. Default: one per call of a use case.
   */
  limiter?: RateLimiter;
  /** Observes every attempt, e.g. for logs or the benchmark (no token, no bodies). */
  onRequest?: (event: RequestEvent) => void;
}

export interface RequestEvent {
  operation: string;
  attempt: number;
  outcome: 'ok' | Failure['kind'];
  status: number | null;
  waitedMs: number;
}

/** How a call may be repeated after a failure whose outcome is unknown (5xx, timeout). */
export type CallSafety = 'read' | 'idempotent' | 'create';

export interface GatewayStats {
  requests: number;
  retries: number;
  throttled: number;
  unknownOutcomes: number;
}

/** A failed create whose answer was lost: it may exist in Notion. Callers look it up before creating again. */
export class AmbiguousCreateError extends SagaSyncError {
  constructor(
    operation: string,
    readonly failure: Failure,
    cause: unknown,
  ) {
    super('remote_failure', `Notion ${operation}: outcome unknown (${failure.code})`, { cause, details: { operation, status: failure.status } });
    this.name = 'AmbiguousCreateError';
  }
}

export interface NotionGateway {
  /** Runs one SDK call under the shared rate limiter with SagaSync's retry policy. */
  call<T>(operation: string, safety: CallSafety, run: (client: Client) => Promise<T>): Promise<T>;
  readonly stats: GatewayStats;
  readonly clock: Clock;
}

/**
 * Wraps @notionhq/client: pins API version 2025-09-03, turns the SDK's own retries off (its 429
 * retry caps Retry-After at 60 s and bypasses a shared limiter), and applies one policy instead:
 * every attempt goes through the token bucket; 429/529 pause all callers for Retry-After; 409 and
 * unknown outcomes back off and retry, except creates, which surface AmbiguousCreateError.
 */
export function createNotionGateway(options: NotionConnectionOptions): NotionGateway {
  const clock = options.clock ?? systemClock;
  const rate = options.limiter ?? createRateLimiter({ requestsPerSecond: options.requestsPerSecond ?? 3, burst: options.burst, clock });
  const client = new Client({
    auth: options.token,
    baseUrl: options.baseUrl,
    notionVersion: NOTION_VERSION,
    timeoutMs: options.timeoutMs ?? 60_000,
    retry: false,
    logLevel: LogLevel.ERROR,
    // The SDK's console logger could print request details; SagaSync reports through onRequest.
    logger: () => undefined,
  });
  const maxAttempts = options.maxAttempts ?? 8;
  const initialBackoff = options.initialBackoffMs ?? 500;
  const stats: GatewayStats = { requests: 0, retries: 0, throttled: 0, unknownOutcomes: 0 };

  async function call<T>(operation: string, safety: CallSafety, run: (c: Client) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const before = clock.now();
      await rate.acquire();
      const waitedMs = clock.now() - before;
      stats.requests += 1;
      try {
        const result = await run(client);
        options.onRequest?.({ operation, attempt, outcome: 'ok', status: 200, waitedMs });
        return result;
      } catch (error) {
        const failure = classifyFailure(error, clock.now());
        options.onRequest?.({ operation, attempt, outcome: failure.kind, status: failure.status, waitedMs });
        if (failure.kind === 'fatal') throw toSagaSyncError(failure, operation, error);
        if (failure.kind === 'throttled') stats.throttled += 1;
        if (failure.kind === 'unknown_outcome') {
          stats.unknownOutcomes += 1;
          if (safety === 'create') throw new AmbiguousCreateError(operation, failure, error);
        }
        if (attempt >= maxAttempts) throw toSagaSyncError(failure, operation, error);
        stats.retries += 1;
        if (failure.kind === 'throttled') {
          rate.pauseFor(failure.retryAfterMs ?? initialBackoff * 2 ** (attempt - 1));
        } else {
          // Jittered exponential back-off, capped at 30 s, so writers that collided spread out.
          const base = Math.min(30_000, initialBackoff * 2 ** (attempt - 1));
          await clock.sleep(base / 2 + Math.random() * (base / 2));
        }
      }
    }
  }

  return { call, stats, clock };
}
