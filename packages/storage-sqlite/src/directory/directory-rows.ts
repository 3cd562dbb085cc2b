import {
  ApiTokenSchema,
  AudibleAccountSchema,
  PendingSignInSchema,
  SagaSyncError,
  SyncScheduleSchema,
  UserSchema,
  type ApiToken,
  type AudibleAccount,
  type PendingSignIn,
  type SyncSchedule,
  type User,
} from '@sagasync/core';
import { nextAllowedMs } from '@sagasync/storage';
import type { RowSchema } from '../row-decoder.js';
import type { AccountRow, ScheduleRow, TokenRow, UserRow } from './directory-statements.js';

/**
 * Rows to records and back. Every record read is checked against core's schema (directory rows are
 * few and small, so this is cheap), so a hand-edited or damaged file fails with the table and key
 * instead of handing bad data to the app.
 */
export function createDirectoryRows(path: string) {
  function checked<T>(schema: RowSchema<T>, table: string, key: string, record: unknown): T {
    const parsed = schema.safeParse(record);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') || 'record';
    throw new SagaSyncError('storage_failure', `the SagaSync store ${path} holds an invalid ${table} row (${key}: ${field}: ${issue?.message ?? 'invalid'})`, {
      details: { location: `${path}: ${table}` },
    });
  }

  function json(table: string, key: string, data: string): Record<string, unknown> {
    try {
      const value: unknown = JSON.parse(data);
      if (typeof value === 'object' && value !== null) return value as Record<string, unknown>;
    } catch {
      // Reported below.
    }
    throw new SagaSyncError('storage_failure', `the SagaSync store ${path} holds an invalid ${table} row (${key}: data is not a JSON object)`, {
      details: { location: `${path}: ${table}` },
    });
  }

  return {
    user: (row: UserRow): User => checked(UserSchema, 'users', row.id, { id: row.id, name: row.name, createdAt: row.created_at }),

    token: (row: TokenRow): ApiToken =>
      checked(ApiTokenSchema, 'api_tokens', row.id, {
        id: row.id,
        userId: row.user_id,
        hash: row.hash,
        label: row.label,
        createdAt: row.created_at,
        lastUsedAt: row.last_used_at,
        expiresAt: row.expires_at,
      }),

    account: (row: AccountRow): AudibleAccount =>
      checked(AudibleAccountSchema, 'audible_accounts', row.id, { ...json('audible_accounts', row.id, row.data), id: row.id, userId: row.user_id, version: row.version }),

    signIn: (data: string, id: string): PendingSignIn => checked(PendingSignInSchema, 'pending_sign_ins', id, json('pending_sign_ins', id, data)),

    schedule: (row: ScheduleRow): SyncSchedule =>
      checked(SyncScheduleSchema, 'sync_schedules', row.user_id, {
        userId: row.user_id,
        enabled: row.enabled === 1,
        nextAllowedSyncAt: row.next_allowed_at,
        lastSyncAt: row.last_sync_at,
        syncsToday: row.syncs_today,
        day: row.day,
        dailyCap: row.daily_cap,
        minIntervalMs: row.min_interval_ms,
        version: row.version,
      }),
  };
}

/** A schedule as the named parameters of `upsertSchedule`. */
export function scheduleParams(schedule: SyncSchedule): Record<string, string | number | null> {
  return {
    userId: schedule.userId,
    enabled: schedule.enabled ? 1 : 0,
    nextAllowedAt: schedule.nextAllowedSyncAt,
    nextAllowedMs: nextAllowedMs(schedule),
    lastSyncAt: schedule.lastSyncAt,
    syncsToday: schedule.syncsToday,
    day: schedule.day,
    dailyCap: schedule.dailyCap,
    minIntervalMs: schedule.minIntervalMs,
    version: schedule.version,
  };
}

/** A token as the named parameters of `upsertToken`. */
export function tokenParams(token: ApiToken): Record<string, string | number | null> {
  return {
    id: token.id,
    userId: token.userId,
    hash: token.hash,
    label: token.label,
    createdAt: token.createdAt,
    createdMs: Date.parse(token.createdAt),
    lastUsedAt: token.lastUsedAt,
    lastUsedMs: token.lastUsedAt === null ? null : Date.parse(token.lastUsedAt),
    expiresAt: token.expiresAt,
  };
}
