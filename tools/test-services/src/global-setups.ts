import pg from 'pg';
import { inject } from 'vitest';
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { startPostgresCluster } from './postgres-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The throwaway cluster's maintenance database, as its superuser; each suite creates its own database from it. */
    postgresAdminUrl: string;
    /** The role the adapters' tests log in as: not a superuser and without BYPASSRLS, so the owner policy applies to it. */
    postgresAppRole: string;
    /** DynamoDB Local's endpoint; each suite creates its own table there. */
    dynamoEndpoint: string;
  }
}

/** A vitest global setup: one PostgreSQL cluster for the project's whole run. */
export async function postgresGlobalSetup(project: TestProject): Promise<() => void> {
  const cluster = await startPostgresCluster();
  project.provide('postgresAdminUrl', cluster.adminUrl);
  project.provide('postgresAppRole', cluster.appRole);
  return cluster.stop;
}

/** A vitest global setup: one DynamoDB Local for the project's whole run. */
export async function dynamoGlobalSetup(project: TestProject): Promise<() => void> {
  const local = await startDynamoDbLocal();
  project.provide('dynamoEndpoint', local.endpoint);
  return local.stop;
}

/** Both, started side by side, for projects that move data between stores. */
export async function servicesGlobalSetup(project: TestProject): Promise<() => void> {
  const [cluster, local] = await Promise.allSettled([startPostgresCluster(), startDynamoDbLocal()]);
  const stops = [cluster, local].flatMap((started) => (started.status === 'fulfilled' ? [started.value.stop] : []));
  const stopAll = () => stops.forEach((stop) => stop());
  if (cluster.status === 'rejected' || local.status === 'rejected') {
    stopAll();
    throw cluster.status === 'rejected' ? cluster.reason : (local as PromiseRejectedResult).reason;
  }
  project.provide('postgresAdminUrl', cluster.value.adminUrl);
  project.provide('postgresAppRole', cluster.value.appRole);
  project.provide('dynamoEndpoint', local.value.endpoint);
  return stopAll;
}

/**
 * A database of the caller's own on the run's PostgreSQL cluster, named from `prefix`; `drop`
 * removes it, closing what is still connected. It belongs to the application role, and `url`
 * logs in as that role (not a superuser, no BYPASSRLS), as a deployment should: the app migrates
 * its schema itself, and row-level security holds every statement to its owner, so SQL that
 * forgets to set the owner finds nothing here, as it would in production.
 */
export async function createTestDatabase(prefix: string): Promise<{ url: string; adminUrl: string; drop(): Promise<void> }> {
  const adminUrl = inject('postgresAdminUrl');
  const appRole = inject('postgresAppRole');
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} OWNER ${appRole}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // The same database as the superuser, who bypasses row-level security: for tests that read what
  // is really stored, across owners.
  const asAdmin = new URL(adminUrl);
  asAdmin.pathname = `/${name}`;
  url.username = appRole;
  return {
    url: url.toString(),
    adminUrl: asAdmin.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
