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
  };
}
