import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, chmodSync, chownSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';

/** Debian's PostgreSQL 15, which the CI image has; the tests keep their SQL to what 15 accepts. */
const PG_BIN = '/usr/lib/postgresql/15/bin';
/** The tests' application role: not a superuser and without BYPASSRLS, so row-level security applies to it. */
export const POSTGRES_APP_ROLE = 'sagasync_app';

export interface PostgresCluster {
  /** The cluster's maintenance database, as its superuser; suites create their own databases from it. */
  adminUrl: string;
  /** The role application code logs in as (LOGIN, NOSUPERUSER, NOCREATEDB, NOBYPASSRLS). */
  appRole: string;
  stop(): void;
}

/**
 * Starts a throwaway PostgreSQL 15 cluster (initdb + pg_ctl on a private port, its socket in its
 * own data directory, fsync off) and makes the application role. initdb refuses to run as root, so
 * as root the binaries run as the `postgres` user via runuser. `stop` stops it and deletes it.
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  try {
    accessSync(join(PG_BIN, 'initdb'), constants.X_OK);
    accessSync(join(PG_BIN, 'pg_ctl'), constants.X_OK);
  } catch {
    throw new Error(
      `tests on PostgreSQL need PostgreSQL 15's server binaries in ${PG_BIN} (Debian: apt-get install postgresql-15); initdb or pg_ctl is missing there`,
    );
  }
  const asRoot = userInfo().uid === 0;
  const work = mkdtempSync(join(tmpdir(), 'sagasync-pg-'));
  // mkdtemp makes 0700 directories; the postgres user must be able to pass through to its data dir.
  chmodSync(work, 0o711);
  const data = join(work, 'data');
  mkdirSync(data, { mode: 0o700 });
  const pgUser = asRoot ? 'postgres' : userInfo().username;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(data, uid, gid);
  }
  const run = (binary: string, args: string[]) => {
    const [command, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, binary), ...args]] : [join(PG_BIN, binary), args];
    const result = spawnSync(command, argv, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${binary} failed (${result.status}): ${result.stderr || result.stdout}`);
  };

  run('initdb', ['-D', data, '-U', pgUser, '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  const serverOptions = `-p ${port} -k ${data} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  run('pg_ctl', ['-D', data, '-l', join(data, 'log'), '-w', '-t', '30', '-o', serverOptions, 'start']);

  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  };
  const adminUrl = `postgresql://${pgUser}@127.0.0.1:${port}/postgres`;
  try {
    // Roles are the cluster's, so it is made once here rather than by each suite; the cluster
    // trusts local logins, so no password.
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE ${POSTGRES_APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS`);
    } finally {
      await admin.end();
    }
  } catch (error) {
    stop();
    throw error;
  }
  return { adminUrl, appRole: POSTGRES_APP_ROLE, stop };
}
