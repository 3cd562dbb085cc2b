import { DEFAULT_DAILY_SYNC_CAP, DEFAULT_MIN_SYNC_INTERVAL_MS, SagaSyncError } from '@sagasync/core';
import { describe, expect, it } from 'vitest';
import { directoryInput } from './parse-input.js';

function failure(run: () => unknown): SagaSyncError {
  try {
    run();
  } catch (error) {
    if (SagaSyncError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a SagaSyncError');
}

describe('directoryInput', () => {
  it('names the call and the field, never the value', () => {
    const error = failure(() =>
      directoryInput.pendingSignIn({ id: 's', userId: 'u', locale: 'us', ciphertext: 'SECRET', createdAt: 'bad', expiresAt: '2024-01-01T00:00:00Z' }),
    );
    expect(error.code).toBe('invalid_input');
    expect(error.details.location).toBe('signIn.createdAt');
    expect(error.message).toMatch(/^putPendingSignIn: signIn\.createdAt is invalid: /);
    expect(error.message).not.toContain('SECRET');
  });

  it('normalises user names and copies objects', () => {
    const input = { id: 'u', name: ' Ada.L ', createdAt: '2024-01-01T00:00:00Z' };
    const user = directoryInput.user(input);
    expect(user).toEqual({ ...input, name: 'ada.l' });
    expect(user).not.toBe(input);
    expect(directoryInput.userName('getUserByName', 'ADA.L')).toBe('ada.l');
  });

  it('fills in default limits and the empty sharedWith', () => {
    expect(directoryInput.limits('claimSync', undefined)).toEqual({ dailyCap: DEFAULT_DAILY_SYNC_CAP, minIntervalMs: DEFAULT_MIN_SYNC_INTERVAL_MS, given: {} });
    expect(directoryInput.limits('claimSync', { minIntervalMs: 0 })).toEqual({ dailyCap: DEFAULT_DAILY_SYNC_CAP, minIntervalMs: 0, given: { minIntervalMs: 0 } });
    const at = '2024-01-01T00:00:00Z';
    const account = directoryInput.audibleAccount({ id: 'a', userId: 'u', locale: 'us', marketplace: 'M', label: '', ciphertext: 'c', createdAt: at, updatedAt: at });
    expect(account.sharedWith).toEqual([]);
  });

  it('instants must be valid Dates', () => {
    expect(directoryInput.instant('claimSync', new Date(5))).toBe(5);
    expect(failure(() => directoryInput.instant('claimSync', new Date(Number.NaN))).details.location).toBe('now');
    expect(failure(() => directoryInput.instant('touchApiToken', '2024-01-01' as unknown as Date, 'at')).details.location).toBe('at');
  });

  it('a page cursor must have the shape of the list it continues', () => {
    const users = directoryInput.page({ limit: 2 }, ['string']);
    expect(users).toEqual({ limit: 2, after: null });
    const cursor = Buffer.from(JSON.stringify(['ada'])).toString('base64url');
    expect(directoryInput.page({ cursor }, ['string']).after).toEqual(['ada']);
    expect(failure(() => directoryInput.page({ cursor }, ['number', 'string'])).details.location).toBe('cursor');
    const swapped = Buffer.from(JSON.stringify(['u', 5])).toString('base64url');
    expect(failure(() => directoryInput.page({ cursor: swapped }, ['number', 'string'])).details.location).toBe('cursor');
  });
});
