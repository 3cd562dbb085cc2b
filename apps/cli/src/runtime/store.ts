import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { StoragePort } from '@sagasync/core';
import { openSqliteStorage } from '@sagasync/storage-sqlite';
import type { CliEnv } from './env.js';

/** The CLI's single owner: the embedded store belongs to the person running it. */
export const LOCAL_OWNER = 'local';

/** `--store` wins, then SAGASYNC_STORE, then `$XDG_DATA_HOME/sagasync/sagasync.db`. */
export function resolveStorePath(flag: string | undefined, env: CliEnv, cwd: string): string {
  if (flag) return resolve(cwd, flag);
  if (env.SAGASYNC_STORE) return resolve(cwd, env.SAGASYNC_STORE);
  const dataHome = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return join(dataHome, 'sagasync', 'sagasync.db');
}

export function openStore(path: string): StoragePort {
  // The store holds credentials: its folder is private to the user.
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  return openSqliteStorage({ path });
}

/** An empty store in memory, with the current schema: what a read of a missing store sees. */
export function openEmptyStore(): StoragePort {
  return openSqliteStorage({ path: ':memory:' });
}

/** Commands that only read the store: run on a path with no store, they create nothing. */
export const READ_ONLY_COMMANDS: ReadonlySet<string> = new Set(['books list', 'series list', 'series show', 'progress history', 'status', 'conflicts list']);
