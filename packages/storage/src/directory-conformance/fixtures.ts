import { createHash, randomUUID } from 'node:crypto';
import type { ApiToken, AudibleAccountData, PendingSignIn } from '@sagasync/core';

/** Fixed instants keep expected values exact; the suite never depends on the clock. */
export const T0 = '2024-03-01T10:00:00.000Z';
export const T1 = '2024-03-02T11:30:00.000Z';

export const MINUTE = 60_000;

/** `iso` plus `ms`, as a Date. */
export function at(iso: string, ms = 0): Date {
  return new Date(Date.parse(iso) + ms);
}

/** The hash of a fresh random token, as an app stores it. */
export function randomTokenHash(): string {
  return createHash('sha256').update(randomUUID()).digest('hex');
}

export function tokenData(id: string, userId: string, overrides: Partial<ApiToken> = {}): ApiToken {
  return { id, userId, hash: randomTokenHash(), label: 'laptop', createdAt: T0, lastUsedAt: null, expiresAt: null, ...overrides };
}

export function accountData(id: string, userId: string, overrides: Partial<AudibleAccountData> = {}): AudibleAccountData {
  return {
    id,
    userId,
    locale: 'us',
    marketplace: 'AF2M0KC94RCEA',
    label: 'me@example.com',
    ciphertext: 'v1.raw.c2FsdA.aXY.dGFn.Y2lwaGVy',
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function signInData(id: string, userId: string, overrides: Partial<PendingSignIn> = {}): PendingSignIn {
  const expiresAt = new Date(Date.parse(T0) + 10 * MINUTE).toISOString();
  return { id, userId, locale: 'uk', ciphertext: 'v1.raw.cGtjZQ.aXY.dGFn.c3RhdGU', createdAt: T0, expiresAt, ...overrides };
}
