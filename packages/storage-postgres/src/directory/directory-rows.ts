import { ApiTokenSchema, AudibleAccountSchema, PendingSignInSchema, SyncScheduleSchema, UserSchema, type ApiToken, type AudibleAccount, type PendingSignIn, type SyncSchedule, type User } from '@sagasync/core';
import { invalidRow, type RowSchema } from '../row-decoder.js';

export interface UserRow {
  id: string;
  name: string;
  created_at: string;
}

export interface TokenRow {
  id: string;
  user_id: string;
  hash: string;
  label: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
}

export interface AccountRow {
  id: string;
  user_id: string;
  version: number;
  data: Record<string, unknown>;
}

export interface ScheduleRow {
  user_id: string;
  enabled: boolean;
  next_allowed_at: string | null;
  last_sync_at: string | null;
  syncs_today: number;
  day: string;
  daily_cap: number;
  min_interval_ms: number;
  version: number;
}

export const USER_COLUMNS = 'id, name, created_at';
export const TOKEN_COLUMNS = 'id, user_id, hash, label, created_at, last_used_at, expires_at';
export const ACCOUNT_COLUMNS = 'id, user_id, version, data';
export const SCHEDULE_COLUMNS = 'user_id, enabled, next_allowed_at, last_sync_at, syncs_today, day, daily_cap, min_interval_ms, version';

/**
 * Rows to records. Every record read is checked against core's schema (directory rows are few and
 * small, so this is cheap), so a row edited by hand fails with the table and key.
 */
export function createDirectoryRows(target: string) {
  function checked<T>(schema: RowSchema<T>, table: string, key: string, record: unknown): T {
    const parsed = schema.safeParse(record);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw invalidRow(target, table, `${key}: ${issue?.path.map(String).join('.') || 'record'}: ${issue?.message ?? 'invalid'}`);
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
    account: (row: AccountRow): AudibleAccount => checked(AudibleAccountSchema, 'audible_accounts', row.id, { ...row.data, id: row.id, userId: row.user_id, version: row.version }),
    signIn: (data: unknown, id: string): PendingSignIn => checked(PendingSignInSchema, 'pending_sign_ins', id, data),
    schedule: (row: ScheduleRow): SyncSchedule =>
      checked(SyncScheduleSchema, 'sync_schedules', row.user_id, {
        userId: row.user_id,
        enabled: row.enabled,
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
