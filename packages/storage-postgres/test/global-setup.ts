import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, chmodSync, chownSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import postgres from 'pg';
import type { TestProject } from 'vitest/node';

/** Debian's PostgreSQL 15, which the CI image has; the tests keep their SQL to what 15 accepts. */
const PG_BIN = '/usr/lib/postgresql/15/bin';
/** The tests' application role (see `postgresAppRole`). */
const APP_ROLE = 'sagasync_app';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The throwaway cluster's maintenance database, as its superuser; each suite creates its own database from it. */
    postgresAdminUrl: string;
    /** The role the adapters' tests log in as: not a superuser and without BYPASSRLS, so the owner policy applies to it. */
    postgresAppRole: string;
  }
}

/** A port nothing listens on right now: the OS picks it, we close and reuse it (tiny race, fine for a test cluster). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts ONE throwaway PostgreSQL 15 cluster for the whole test run (initdb + pg_ctl on a private
 * port, its socket in its own data directory, fsync off), hands its URL to the tests through
 * `provide`, and stops it and deletes it at teardown. initdb refuses to run as root, so as root
 * the binaries run as the `postgres` user via runuser.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  try {
    accessSync(join(PG_BIN, 'initdb'), constants.X_OK);
    accessSync(join(PG_BIN, 'pg_ctl'), constants.X_OK);
  } catch {
    throw new Error(
      `storage-postgres tests need PostgreSQL 15's server binaries in ${PG_BIN} (Debian: apt-get install postgresql-15); initdb or pg_ctl is missing there`,
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
  const pg = (binary: string, args: string[]) => {
    const [command, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, binary), ...args]] : [join(PG_BIN, binary), args];
    const result = spawnSync(command, argv, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${binary} failed (${result.status}): ${result.stderr || result.stdout}`);
  };

  pg('initdb', ['-D', data, '-U', pgUser, '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  const serverOptions = `-p ${port} -k ${data} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  pg('pg_ctl', ['-D', data, '-l', join(data, 'log'), '-w', '-t', '30', '-o', serverOptions, 'start']);

  let stopped = false;
  const teardown = () => {
    if (stopped) return;
    stopped = true;
    try {
      pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  };
  const adminUrl = `postgresql://${pgUser}@127.0.0.1:${port}/postgres`;
  try {
    // Roles are the cluster's, so it is made once here rather than by each suite. Each suite makes
    // it the owner of its database (test/database.ts); the cluster trusts local logins, so no password.
    const admin = new postgres.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE ${APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS`);
    } finally {
      await admin.end();
    }
  } catch (error) {
    teardown();
    throw error;
  }
  project.provide('postgresAdminUrl', adminUrl);
  project.provide('postgresAppRole', APP_ROLE);
  return teardown;
}
