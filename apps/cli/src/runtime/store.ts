import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { StoragePort } from '@sagasync/core';
import { openSqliteStorage, storeLocationProblem } from '@sagasync/storage-sqlite';
import { CliError, type CliEnv } from './env.js';

/** The CLI's single owner: the embedded store belongs to the person running it. */
export const LOCAL_OWNER = 'local';

/**
 * `--store` wins, then SAGASYNC_STORE, then `$XDG_DATA_HOME/sagasync/sagasync.db`. A path where no
 * store can be (a file where one of its folders should be, folders that cannot be created, a
 * folder given as the store) fails here, before any command reads or writes, and creates nothing.
 */
export function resolveStorePath(flag: string | undefined, env: CliEnv, cwd: string): string {
  const path = flag ? resolve(cwd, flag) : env.SAGASYNC_STORE ? resolve(cwd, env.SAGASYNC_STORE) : defaultStorePath(env);
  const problem = storeLocationProblem(path);
  if (problem) {
    throw new CliError(problem, { hint: `give another path with --store or SAGASYNC_STORE${flag || env.SAGASYNC_STORE ? '' : ' (the default follows XDG_DATA_HOME)'}` });
  }
  return path;
}

function defaultStorePath(env: CliEnv): string {
  const dataHome = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return join(dataHome, 'sagasync', 'sagasync.db');
}

/**
 * The store, created when missing: the file 0600 in folders 0700 (it holds credentials), made
 * by the adapter, which fails at once on a folder it cannot create and refuses a SQLite file of
 * another program, leaving it as it is.
 */
export function openStore(path: string): StoragePort {
  return openSqliteStorage({ path });
}

/** An empty store in memory, with the current schema: what a read of a missing store sees. */
export function openEmptyStore(): StoragePort {
  return openSqliteStorage({ path: ':memory:' });
}

/** Commands that only read the store: run on a path with no store, they create nothing. */
export const READ_ONLY_COMMANDS: ReadonlySet<string> = new Set(['books list', 'series list', 'series show', 'progress history', 'status', 'conflicts list']);
