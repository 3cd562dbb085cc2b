import { APIResponseError, isHTTPResponseError, isNotionClientError, RequestTimeoutError } from '@notionhq/client';
import { SagaSyncError } from '@sagasync/core';

/**
 * What a failed request means for retrying:
 * - `throttled`: Notion did not run it and asks to wait (429, 529): retry after Retry-After;
 * - `conflict`: a 409, the transaction collided and was not saved: retry;
 * - `unknown_outcome`: a 5xx, HTML 502, 504, timeout or dropped connection: the request may or may
 *   not have run; safe to repeat for reads and idempotent writes, never blindly for a create;
 * - `fatal`: a 4xx the request itself caused; repeating cannot help.
 */
export type FailureKind = 'throttled' | 'conflict' | 'unknown_outcome' | 'fatal';

export interface Failure {
  kind: FailureKind;
  status: number | null;
  code: string;
  /** From Retry-After, when the answer had one. */
  retryAfterMs: number | null;
  message: string;
}

function headerValue(headers: unknown, name: string): string | null {
  if (headers && typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  if (headers && typeof headers === 'object') {
    const v = (headers as Record<string, unknown>)[name];
    return typeof v === 'string' ? v : null;
  }
  return null;
}

export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export function classifyFailure(error: unknown, now: number): Failure {
  if (error instanceof RequestTimeoutError) return { kind: 'unknown_outcome', status: null, code: error.code, retryAfterMs: null, message: error.message };
  if (isHTTPResponseError(error)) {
    const status = error.status;
    const retryAfterMs = parseRetryAfter(headerValue(error.headers, 'retry-after'), now);
    const code = error instanceof APIResponseError ? error.code : `http_${status}`;
    const base = { status, code, retryAfterMs, message: error.message };
    if (status === 429 || status === 529) return { kind: 'throttled', ...base };
    if (status === 409) return { kind: 'conflict', ...base };
    if (status >= 500) return { kind: 'unknown_outcome', ...base };
    return { kind: 'fatal', ...base };
  }
  if (isNotionClientError(error)) return { kind: 'fatal', status: null, code: error.code, retryAfterMs: null, message: error.message };
  // fetch throws TypeError on a reset or refused connection: the request may have reached Notion.
  if (error instanceof TypeError || (error instanceof Error && 'code' in error && typeof error.code === 'string' && /^E[A-Z]+/.test(error.code))) {
    return { kind: 'unknown_outcome', status: null, code: 'network_error', retryAfterMs: null, message: error.message };
  }
  return { kind: 'fatal', status: null, code: 'unexpected', retryAfterMs: null, message: error instanceof Error ? error.message : String(error) };
}

/** The SagaSyncError an app shows for a failure that was not retried away. Never includes the token. */
export function toSagaSyncError(failure: Failure, operation: string, cause: unknown): SagaSyncError {
  const details = { operation, status: failure.status, notionCode: failure.code };
  const message = `Notion ${operation} failed: ${failure.message}`;
  if (failure.status === 401) return new SagaSyncError('auth_failed', message, { cause, details: { ...details, reason: 'notion_unauthorized' } });
  if (failure.status === 403 || failure.status === 404) {
    return new SagaSyncError('not_found', message, { cause, details: { ...details, reason: 'notion_not_shared' } });
  }
  if (failure.kind === 'throttled') return new SagaSyncError('rate_limited', message, { cause, details });
  if (failure.status === 400) return new SagaSyncError('invalid_input', message, { cause, details });
  return new SagaSyncError('remote_failure', message, { cause, details });
}
