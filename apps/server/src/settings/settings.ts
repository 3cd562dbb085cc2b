import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { keyFromSecret } from '@sagasync/storage';
import * as z from 'zod';

const optional = z
  .string()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

/** A size such as `10mb`, `512kb` or a number of bytes, as Express's body parser reads it. */
const SIZE = /^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i;

/** `90s`, `15m`, `1h`, `30d`, `250ms`; a bare number is milliseconds. */
const DURATION = /^(\d+)\s*(ms|s|m|h|d)?$/i;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration setting, in milliseconds, at least `minMs`. */
const duration = (fallback: string, minMs = 0) =>
  z
    .string()
    .default(fallback)
    .transform((value, issue) => {
      const match = DURATION.exec(value.trim());
      const ms = match ? Number(match[1]) * UNIT_MS[(match[2] ?? 'ms').toLowerCase()]! : Number.NaN;
      if (!Number.isSafeInteger(ms)) {
        issue.addIssue({ code: 'custom', message: 'must be a duration such as 90s, 15m, 1h or 30d' });
        return z.NEVER;
      }
      if (ms < minMs) {
        issue.addIssue({ code: 'custom', message: `must be at least ${minMs} ms` });
        return z.NEVER;
      }
      return ms;
    });

/** The environment the server reads once at start-up; a bad value stops the start with one line. */
export const ServerEnvSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** `postgres://…` puts the server on PostgreSQL; without it, the embedded SQLite store. */
  DATABASE_URL: optional.refine((value) => value === undefined || /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// or postgresql:// URL'),
  /** The SQLite store file (default: `$XDG_DATA_HOME/sagasync/sagasync.db`, as for the CLI). */
  SAGASYNC_STORE: optional,
  /** 32 random bytes (base64 or hex) that encrypt stored credentials and webhook secrets. */
  SAGASYNC_SECRET: optional.refine((value) => value === undefined || isSecretKey(value), 'must be 32 random bytes as 64 hex characters or base64, e.g. `openssl rand -base64 32`'),
  /** Largest request body; a larger library goes in pages or as a job (`sagasync import --api-url` does). */
  SAGASYNC_BODY_LIMIT: z.string().regex(SIZE, 'must be a size such as 10mb').default('10mb'),
  /** Guards `GET /api/cron/audible-sync` (for an external cron); unset, that route is refused. */
  SAGASYNC_CRON_SECRET: optional,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How long requests in flight may take to finish on shutdown. */
  SAGASYNC_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** Other Audible / Amazon / Notion hosts (proxies, tests). */
  SAGASYNC_AUDIBLE_API_URL: z.url().optional(),
  SAGASYNC_AMAZON_API_URL: z.url().optional(),
  NOTION_BASE_URL: z.url().optional(),
  /** Notion's average limit is 3 requests a second per integration; a proxy or a test server may allow another. */
  SAGASYNC_NOTION_REQUESTS_PER_SECOND: z.coerce.number().positive().max(100).default(3),
  /** A scheduled Notion mirror runs at most this often per user (after a sync that changed something). */
  SAGASYNC_NOTION_MIN_INTERVAL: duration('15m'),
  /** How often the in-process scheduler looks for due syncs; 0 turns it off (an external cron calls the cron route). */
  SAGASYNC_SCHEDULER_TICK: duration('60s'),
  /** How often a user's automatic Audible sync runs (a user may choose a longer or, down to the minimum, a shorter one). */
  SAGASYNC_SYNC_INTERVAL: duration('1h', 1000),
  /** The least time between two syncs of a user, manual ones included (kept in the directory). */
  SAGASYNC_SYNC_MIN_INTERVAL: duration('15m', 1000),
  /** Syncs a user may run in a UTC day, manual ones included (kept in the directory). */
  SAGASYNC_SYNC_DAILY_CAP: z.coerce.number().int().positive().default(600),
  /** Users one server instance syncs at once. */
  SAGASYNC_SYNC_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  /** After a failed automatic sync the next waits this long, doubled per failure in a row up to the maximum. */
  SAGASYNC_SYNC_BACKOFF: duration('15m', 1000),
  SAGASYNC_SYNC_BACKOFF_MAX: duration('24h', 1000),
  /** Sync runs (the sync log) older than this are deleted. */
  SAGASYNC_SYNC_LOG_RETENTION: duration('30d', 1000),
  /** How long a started Audible sign-in waits for its redirect URL. */
  SAGASYNC_SIGN_IN_TTL: duration('15m', 1000),
  XDG_DATA_HOME: optional,
  HOME: optional,
});
export type ServerEnv = z.infer<typeof ServerEnvSchema>;

function isSecretKey(value: string): boolean {
  try {
    keyFromSecret(value);
    return true;
  } catch {
    return false;
  }
}

/** Settings the server runs with, resolved from the environment. */
export interface ServerSettings {
  host: string;
  port: number;
  store: { kind: 'postgres'; url: string } | { kind: 'sqlite'; path: string };
  /** Null: the SQLite server keeps a generated key beside its store (see `openStores`). */
  secret: string | null;
  bodyLimit: string;
  cronSecret: string | null;
  logLevel: ServerEnv['LOG_LEVEL'];
  shutdownGraceMs: number;
  audibleApiUrl?: string;
  amazonApiUrl?: string;
  notionBaseUrl?: string;
  notionRequestsPerSecond: number;
  notionMinIntervalMs: number;
  signInTtlMs: number;
  /** The Audible sync schedule: the server's limits and how its scheduler runs. */
  sync: SyncSettings;
}

export interface SyncSettings {
  /** 0: no in-process loop. */
  tickMs: number;
  intervalMs: number;
  minIntervalMs: number;
  dailyCap: number;
  concurrency: number;
  backoffMs: number;
  backoffMaxMs: number;
  logRetentionMs: number;
}

/** A setting that stops the start: one line naming the variable. */
export class SettingsError extends Error {
  override name = 'SettingsError';
}

export function loadSettings(env: Record<string, string | undefined>, cwd: string): ServerSettings {
  const parsed = ServerEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SettingsError(`${String(issue.path[0])}: ${issue.message}`);
  }
  const e = parsed.data;
  if (e.DATABASE_URL && !e.SAGASYNC_SECRET) {
    // Several instances share one database, so the key cannot live beside one of them.
    throw new SettingsError('SAGASYNC_SECRET: must be set when DATABASE_URL is (every instance needs the same key); make one with `openssl rand -base64 32`');
  }
  if (e.SAGASYNC_SYNC_INTERVAL < e.SAGASYNC_SYNC_MIN_INTERVAL) {
    throw new SettingsError('SAGASYNC_SYNC_INTERVAL: must not be shorter than SAGASYNC_SYNC_MIN_INTERVAL (a sync sooner would be refused)');
  }
  if (e.SAGASYNC_SYNC_BACKOFF_MAX < e.SAGASYNC_SYNC_BACKOFF) throw new SettingsError('SAGASYNC_SYNC_BACKOFF_MAX: must not be shorter than SAGASYNC_SYNC_BACKOFF');
  const dataHome = e.XDG_DATA_HOME ?? join(e.HOME ?? homedir(), '.local', 'share');
  return {
    host: e.HOST,
    port: e.PORT,
    store: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL } : { kind: 'sqlite', path: e.SAGASYNC_STORE ? resolve(cwd, e.SAGASYNC_STORE) : join(dataHome, 'sagasync', 'sagasync.db') },
    secret: e.SAGASYNC_SECRET ?? null,
    bodyLimit: e.SAGASYNC_BODY_LIMIT,
    cronSecret: e.SAGASYNC_CRON_SECRET ?? null,
    logLevel: e.LOG_LEVEL,
    shutdownGraceMs: e.SAGASYNC_SHUTDOWN_GRACE_MS,
    ...(e.SAGASYNC_AUDIBLE_API_URL ? { audibleApiUrl: e.SAGASYNC_AUDIBLE_API_URL } : {}),
    ...(e.SAGASYNC_AMAZON_API_URL ? { amazonApiUrl: e.SAGASYNC_AMAZON_API_URL } : {}),
    ...(e.NOTION_BASE_URL ? { notionBaseUrl: e.NOTION_BASE_URL } : {}),
    notionRequestsPerSecond: e.SAGASYNC_NOTION_REQUESTS_PER_SECOND,
    notionMinIntervalMs: e.SAGASYNC_NOTION_MIN_INTERVAL,
    signInTtlMs: e.SAGASYNC_SIGN_IN_TTL,
    sync: {
      tickMs: e.SAGASYNC_SCHEDULER_TICK,
      intervalMs: e.SAGASYNC_SYNC_INTERVAL,
      minIntervalMs: e.SAGASYNC_SYNC_MIN_INTERVAL,
      dailyCap: e.SAGASYNC_SYNC_DAILY_CAP,
      concurrency: e.SAGASYNC_SYNC_CONCURRENCY,
      backoffMs: e.SAGASYNC_SYNC_BACKOFF,
      backoffMaxMs: e.SAGASYNC_SYNC_BACKOFF_MAX,
      logRetentionMs: e.SAGASYNC_SYNC_LOG_RETENTION,
    },
  };
}
