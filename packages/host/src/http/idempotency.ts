import { createHash } from 'node:crypto';
import { SagaSyncError, type StoragePort } from '@sagasync/core';
import type { RouteResult } from '@sagasync/api';

/** The request header (IETF draft "The Idempotency-Key HTTP Header Field"). */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** Set on an answer that is the stored answer of an earlier request with the same key. */
export const REPLAYED_HEADER = 'idempotent-replayed';

/** Expiring records of this kind hold the keys, under the key's owner (so keys never cross users). */
export const IDEMPOTENCY_KIND = 'idempotency';
/** How long a finished request's answer is kept for retries. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60_000;
/**
 * How long a claim of a request still running is kept. Short, so that a server that died mid-request
 * does not block the key for a day: once it lapses the next retry runs (`ifAbsent` treats an expired
 * record as absent). Longer than Node's 5-minute `requestTimeout`, so a live request keeps its claim.
 */
export const IDEMPOTENCY_CLAIM_MS = 10 * 60_000;

/** 1 to 255 printable ASCII characters: what the draft allows, and short enough for every store's key. */
const KEY = /^[\x20-\x7e]{1,255}$/;

const location = `headers.${IDEMPOTENCY_HEADER}`;

/** The request's key, or null without the header; a malformed key is `invalid_input` (400). */
export function idempotencyKeyOf(header: string | undefined): string | null {
  if (header === undefined) return null;
  if (!KEY.test(header)) {
    throw new SagaSyncError('invalid_input', 'the Idempotency-Key header must be 1 to 255 printable ASCII characters', { details: { location } });
  }
  return header;
}

/**
 * What makes two requests "the same": method, path with query, and the body's bytes. Raw bytes, not
 * the parsed body, so the comparison needs no canonical JSON; a client's retry sends the same bytes.
 */
export function requestFingerprint(method: string, url: string, rawBody: Buffer | undefined): string {
  return createHash('sha256')
    .update(`${method.toUpperCase()} ${url}\n`)
    .update(rawBody ?? Buffer.alloc(0))
    .digest('hex');
}

/** The stored record's value: a claim while the first request runs, then its answer. */
type Stored = { state: 'running'; fingerprint: string } | { state: 'done'; fingerprint: string; status: number; body: unknown };

export interface IdempotentAnswer extends RouteResult<unknown> {
  /** True when this is the answer of an earlier request with the same key. */
  replayed: boolean;
}

/**
 * Runs `run` once per (owner, key). The key is claimed with the store's first-writer-wins expiring
 * record, so server instances on one database agree:
 * - first request: claims the key, runs, stores the answer for 24 h (an error answer releases the
 *   key instead: nothing was written, and a retry should run again, e.g. after a 409 or 503);
 * - same key, same request, first one finished: the stored answer, `replayed`;
 * - same key, same request, first one still running: `already_exists` (409), retry later;
 * - same key, another request: 422 `invalid_input` on the header (the draft's status for a key
 *   reused with another payload; the error table's 400 is for malformed input).
 */
export async function runIdempotent(options: {
  storage: StoragePort;
  ownerId: string;
  key: string;
  fingerprint: string;
  clock: () => Date;
  run: () => Promise<RouteResult<unknown>>;
  onStoreFailure?: (error: unknown) => void;
}): Promise<IdempotentAnswer> {
  const { storage, ownerId, key, fingerprint, clock } = options;
  const now = clock();
  const claim: Stored = { state: 'running', fingerprint };
  const { stored, current } = await storage.putExpiring(
    ownerId,
    { kind: IDEMPOTENCY_KIND, key, value: claim, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + IDEMPOTENCY_CLAIM_MS).toISOString() },
    { ifAbsent: true, now },
  );
  if (!stored) return earlier(current.value as Stored, fingerprint, key);

  let answer: RouteResult<unknown>;
  try {
    answer = await options.run();
  } catch (error) {
    await release(storage, ownerId, key, options.onStoreFailure);
    throw error;
  }
  if (answer.status >= 400) {
    await release(storage, ownerId, key, options.onStoreFailure);
    return { ...answer, replayed: false };
  }
  const done: Stored = { state: 'done', fingerprint, status: answer.status, body: JSON.parse(JSON.stringify(answer.body ?? null)) as unknown };
  const at = clock();
  try {
    await storage.putExpiring(
      ownerId,
      // Not `ifAbsent`: this replaces our own claim.
      { kind: IDEMPOTENCY_KIND, key, value: done as never, createdAt: now.toISOString(), expiresAt: new Date(at.getTime() + IDEMPOTENCY_TTL_MS).toISOString() },
      { now: at },
    );
  } catch (error) {
    // The work is done: answer it. Retries see the claim (409) until it lapses.
    options.onStoreFailure?.(error);
  }
  return { ...answer, replayed: false };
}

function earlier(value: Stored, fingerprint: string, key: string): IdempotentAnswer {
  if (value.fingerprint !== fingerprint) {
    return {
      status: 422,
      replayed: false,
      body: { error: { code: 'invalid_input', message: `Idempotency-Key "${key}" was used for another request; use a new key for a new request`, location } },
    };
  }
  if (value.state === 'running') {
    throw new SagaSyncError('already_exists', `a request with Idempotency-Key "${key}" is still running; retry in a moment for its answer`, { details: { location } });
  }
  return { status: value.status, body: value.body, replayed: true };
}

async function release(storage: StoragePort, ownerId: string, key: string, onFailure?: (error: unknown) => void): Promise<void> {
  try {
    await storage.applyBatch(ownerId, [{ op: 'deleteExpiring', kind: IDEMPOTENCY_KIND, key }]);
  } catch (error) {
    // The claim lapses by itself after IDEMPOTENCY_CLAIM_MS.
    onFailure?.(error);
  }
}
