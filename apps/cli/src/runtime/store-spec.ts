import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { StoragePort } from '@sagasync/core';
import { CliError, type CliEnv } from './env.js';

/**
 * Where a store is, as `store copy` and `store dump` take it: a SQLite file path, a PostgreSQL URL
 * (`postgres://` or `postgresql://`), or `dynamodb:<table>` (endpoint, region and credentials
 * from the usual AWS settings).
 */
export type StoreSpec = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string } | { kind: 'dynamodb'; table: string };

/** DynamoDB's own rule for table names. */
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

export function parseStoreSpec(text: string, cwd: string, flag: string): StoreSpec {
  if (/^postgres(ql)?:\/\//i.test(text)) {
    try {
      new URL(text);
    } catch {
      throw new CliError(`${flag}: "${redact(text)}" is not a valid PostgreSQL URL`, { hint: 'write it as postgres://user:password@host:5432/database' });
    }
    return { kind: 'postgres', url: text };
  }
  if (/^dynamodb:/i.test(text)) {
    const table = text.slice('dynamodb:'.length);
    if (!TABLE_NAME.test(table)) {
      throw new CliError(`${flag}: "${table}" is not a DynamoDB table name`, { hint: 'write dynamodb:<table>, a name of 3 to 255 letters, digits, "_", "-" or "."' });
    }
    return { kind: 'dynamodb', table };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new CliError(`${flag}: "${redact(text)}" is not a store SagaSync knows`, { hint: 'give a SQLite file path, a postgres:// URL or dynamodb:<table>' });
  }
  return { kind: 'sqlite', path: resolve(cwd, text) };
}

/** A store named for people: a URL without its password. */
export function describeStore(spec: StoreSpec): string {
  if (spec.kind === 'sqlite') return spec.path;
  if (spec.kind === 'dynamodb') return `dynamodb:${spec.table}`;
  return redact(spec.url);
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}

export interface OpenedStore {
  storage: StoragePort;
  close(): Promise<void>;
}

/**
 * Opens a store. `create`: a SQLite file or DynamoDB table that does not exist is made (the
 * table on-demand, with the adapter's own definition) and PostgreSQL is migrated; without it, a
 * missing store is an error, so reading never leaves an empty store behind. The adapters and
 * their drivers are loaded only here, so other commands never pay for them.
 */
export async function openStoreSpec(spec: StoreSpec, env: CliEnv, options: { create: boolean; flag: string }): Promise<OpenedStore> {
  if (spec.kind === 'sqlite') {
    if (!options.create && !existsSync(spec.path)) throw new CliError(`${options.flag}: there is no SagaSync store at ${spec.path}`, { hint: 'check the path' });
    const { openSqliteStorage } = await import('@sagasync/storage-sqlite');
    const storage = openSqliteStorage({ path: spec.path });
    return { storage, close: () => storage.close() };
  }
  if (spec.kind === 'postgres') return openPostgres(spec.url, options.flag);
  return openDynamo(spec.table, env, options);
}

async function openPostgres(url: string, flag: string): Promise<OpenedStore> {
  const { createPostgresPool, createPostgresStorage, migratePostgres } = await import('@sagasync/storage-postgres');
  const pool = createPostgresPool({ connectionString: url, max: 4 });
  // An idle client's error (the server restarting) would otherwise be an uncaught exception.
  pool.on('error', () => undefined);
  try {
    await migratePostgres(pool);
  } catch (error) {
    await pool.end();
    throw new CliError(`${flag}: cannot use the PostgreSQL database ${redact(url)}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
      hint: 'check that the server runs, the URL and the role; the role needs to create tables in its schema the first time',
    });
  }
  const storage = createPostgresStorage({ pool });
  return {
    storage,
    close: async () => {
      await storage.close();
      await pool.end();
    },
  };
}

async function openDynamo(table: string, env: CliEnv, options: { create: boolean; flag: string }): Promise<OpenedStore> {
  // The SDK is bundled at a version that runs on Node 20; its notice about later versions needing
  // Node 22 is for SDK users, not for people copying a store.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const [{ DynamoDBClient, DescribeTableCommand, ResourceNotFoundException }, dynamo] = await Promise.all([
    import('@aws-sdk/client-dynamodb'),
    import('@sagasync/storage-dynamodb'),
  ]);
  // The SDK reads these itself from the process environment; the CLI passes what it was given, so
  // an embedding (and the tests) control them too.
  const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL;
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const credentials =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) }
      : undefined;
  const client = new DynamoDBClient({ ...(endpoint ? { endpoint } : {}), ...(region ? { region } : {}), ...(credentials ? { credentials } : {}) });
  try {
    if (options.create) await dynamo.createTable(client, table);
    else await client.send(new DescribeTableCommand({ TableName: table }));
  } catch (error) {
    client.destroy();
    if (error instanceof ResourceNotFoundException) throw new CliError(`${options.flag}: there is no DynamoDB table ${table}`, { hint: 'check the name, AWS_REGION and AWS_ENDPOINT_URL_DYNAMODB' });
    throw new CliError(`${options.flag}: cannot use the DynamoDB table ${table}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
      hint: 'check AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB and the AWS credentials',
    });
  }
  const storage = dynamo.createDynamoStorage({ documentClient: dynamo.documentClientFor(client), tableName: table });
  return {
    storage,
    close: async () => {
      await storage.close();
      client.destroy();
    },
  };
}
