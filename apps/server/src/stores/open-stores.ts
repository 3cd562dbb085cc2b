import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { DirectoryPort, StoragePort } from '@sagasync/core';
import type { ServerSettings } from '../settings/settings.js';
import { SettingsError } from '../settings/settings.js';

/** The library and directory ports on the configured database, and what the server asks of it. */
export interface Stores {
  storage: StoragePort;
  directory: DirectoryPort;
  /** Where the data is, for logs (a URL without its password). */
  label: string;
  /** The database answers (for `GET /ready`). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the store named by the settings and brings its schema up to date (migrations run at
 * start; PostgreSQL's under an advisory lock, so instances starting together migrate once).
 */
export async function openStores(settings: ServerSettings): Promise<Stores> {
  if (settings.store.kind === 'postgres') return openPostgres(settings.store.url);
  const { openSqliteDirectory, openSqliteStorage } = await import('@sagasync/storage-sqlite');
  const path = settings.store.path;
  // The library store creates the file and runs the migrations the directory's tables are part of.
  const storage = openSqliteStorage({ path });
  const directory = openSqliteDirectory({ path });
  return {
    storage,
    directory,
    label: path,
    ping: async () => void (await storage.getSetting('sagasync-ready-check', 'ping')),
    close: async () => {
      await directory.close();
      await storage.close();
    },
  };
}

async function openPostgres(url: string): Promise<Stores> {
  const { createPostgresDirectory, createPostgresPool, createPostgresStorage, migratePostgres } = await import('@sagasync/storage-postgres');
  const pool = createPostgresPool({ connectionString: url, max: 20 });
  // An idle client's error (the database restarting) must not crash the server; the next query reports it.
  pool.on('error', () => undefined);
  await migratePostgres(pool);
  const storage = createPostgresStorage({ pool });
  const directory = createPostgresDirectory({ pool });
  return {
    storage,
    directory,
    label: redactUrl(url),
    ping: async () => void (await pool.query('SELECT 1')),
    close: async () => {
      await directory.close();
      await storage.close();
      await pool.end();
    },
  };
}

/**
 * The stores of a deployment named on the command line (`--directory dynamodb:<table>`), for the
 * user commands: the AWS deployment keeps users, tokens and libraries in one DynamoDB table. The
 * SDK finds the region, credentials and endpoint (`AWS_ENDPOINT_URL_DYNAMODB`) as the AWS CLI does.
 */
export async function openDirectoryStores(spec: string, env: Record<string, string | undefined>): Promise<Stores> {
  const table = /^dynamodb:([A-Za-z0-9_.-]{3,255})$/.exec(spec)?.[1];
  if (!table) throw new SettingsError(`--directory: "${spec}" is not dynamodb:<table> (a DynamoDB table name: 3 to 255 letters, digits, _ . -)`);
  if (!env.AWS_REGION && !env.AWS_DEFAULT_REGION) throw new SettingsError('AWS_REGION: must be set with --directory dynamodb:<table>');
  const { createDocumentClient, createDynamoDirectory, createDynamoStorage } = await import('@sagasync/storage-dynamodb');
  const documentClient = createDocumentClient();
  const storage = createDynamoStorage({ documentClient, tableName: table });
  const directory = createDynamoDirectory({ documentClient, tableName: table });
  return {
    storage,
    directory,
    label: `dynamodb:${table}`,
    ping: async () => void (await storage.getSetting('sagasync-ready-check', 'ping')),
    close: async () => {
      await directory.close();
      await storage.close();
      documentClient.destroy();
    },
  };
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}

/**
 * The key credentials and webhook secrets are sealed with: SAGASYNC_SECRET, or for the SQLite
 * server without it a key made on first start and kept beside the store (`<store>.key`, mode 600),
 * so `npx sagasync-server` runs with no set-up. Losing that file loses the stored secrets.
 */
export function serverSecret(settings: ServerSettings): { secret: string; generatedAt: string | null } {
  if (settings.secret) return { secret: settings.secret, generatedAt: null };
  if (settings.store.kind !== 'sqlite') throw new SettingsError('SAGASYNC_SECRET: must be set when DATABASE_URL is');
  const keyFile = `${settings.store.path}.key`;
  if (existsSync(keyFile)) return { secret: readFileSync(keyFile, 'utf8').trim(), generatedAt: null };
  const secret = randomBytes(32).toString('base64');
  writeFileSync(keyFile, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return { secret, generatedAt: keyFile };
}
