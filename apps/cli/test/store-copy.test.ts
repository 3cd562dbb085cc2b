import { join } from 'node:path';
import { applyInChunks } from '@sagasync/core';
import { startFakeAudible, type FakeAudible } from '@sagasync/fake-audible';
import { createCredentialVault } from '@sagasync/storage';
import { everyKindOfRecord } from '@sagasync/storage/conformance';
import { openSqliteStorage } from '@sagasync/storage-sqlite';
import pg from 'pg';
import { createTestDatabase } from '@sagasync/test-services/vitest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { run, scratch } from './harness.js';

const SECRET = 'c2FnYXN5bmMtdGVzdC1zZWNyZXQtMzItYnl0ZXMhISE=';
const TARGET_SECRET = Buffer.alloc(32, 7).toString('base64');


describe('sagasync store copy and dump', () => {
  const s = scratch();
  const source = join(s.dir, 'source.db');
  let fake: FakeAudible;
  let database: { url: string; drop(): Promise<void> };
  let env: Record<string, string>;
  const table = `sagasync-cli-${process.pid}`;

  const cli = async (args: string[], extra: Record<string, string> = {}) => run(args, { store: source, env: { ...env, ...extra } });
  const dump = async (store: string, owner = 'local') => {
    const result = await cli(['store', 'dump', store, '--owner', owner]);
    expect(result.code, result.stderr).toBe(0);
    return result.stdout;
  };

  beforeAll(async () => {
    fake = await startFakeAudible({ titles: 60, series: 10, seed: 21 });
    database = await createTestDatabase('cli_store');
    env = {
      SAGASYNC_SECRET: SECRET,
      SAGASYNC_AUDIBLE_API_URL: fake.apiUrl,
      SAGASYNC_AMAZON_API_URL: fake.amazonUrl,
      AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    };
    // A real store: signed in (sealed credentials), synced (titles, series, progress, baselines, a
    // run), a finish by hand (history), plus one of every other kind of record.
    const signIn = async (_q: string, shown: string) => {
      const url = /https?:\/\/\S+\/ap\/signin\S*/.exec(shown)?.[0];
      return (await fetch(url!, { redirect: 'manual' })).headers.get('location');
    };
    expect((await run(['audible', 'login'], { store: source, env, answer: signIn })).code).toBe(0);
    expect((await cli(['audible', 'sync', '--json'])).code).toBe(0);
    const store = openSqliteStorage({ path: source });
    try {
      await applyInChunks(store, 'local', everyKindOfRecord().map((op) => [op]));
    } finally {
      await store.close();
    }
  }, 120_000);
  afterAll(async () => {
    await fake?.close();
    await database?.drop();
    s.cleanup();
  });

  it('round-trips SQLite -> PostgreSQL -> DynamoDB -> SQLite with identical dumps, owners mapped', async () => {
    const original = await dump(source);
    expect(original.split('\n').length).toBeGreaterThan(200);
    expect(original).toMatch(/^credentials\tsagasync:key-check\t/m);

    const toPg = await cli(['store', 'copy', '--to', database.url, '--to-owner', 'alice']);
    expect(toPg.code, toPg.stderr).toBe(0);
    expect(toPg.stdout).toMatch(/^Copied [\d,]+ records from .*source\.db \(owner local\) to postgresql:\/\/.* \(owner alice\); 0 already the same\./m);
    const toDynamo = await cli(['store', 'copy', '--from', database.url, '--from-owner', 'alice', '--to', `dynamodb:${table}`, '--to-owner', 'bob', '--json']);
    expect(toDynamo.code, toDynamo.stderr).toBe(0);
    const back = join(s.dir, 'back.db');
    const toSqlite = await cli(['store', 'copy', '--from', `dynamodb:${table}`, '--from-owner', 'bob', '--to', back]);
    expect(toSqlite.code, toSqlite.stderr).toBe(0);

    expect(await dump(database.url, 'alice')).toBe(original);
    expect(await dump(`dynamodb:${table}`, 'bob')).toBe(original);
    expect(await dump(back)).toBe(original);
    // The copied store works as the CLI's own: its credentials open with the same key.
    expect((await run(['audible', 'accounts', '--json'], { store: back, env })).code).toBe(0);
  }, 180_000);

  it('copies again writing nothing, and --json reports the counts', async () => {
    const again = await cli(['store', 'copy', '--to', database.url, '--to-owner', 'alice', '--json']);
    expect(again.code, again.stderr).toBe(0);
    const answer = again.json<{ written: number; deleted: number; unchanged: number; counts: { kind: string }[] }>();
    expect(answer.written).toBe(0);
    expect(answer.deleted).toBe(0);
    expect(answer.unchanged).toBeGreaterThan(200);
    expect(answer.counts.map((c) => c.kind)).toContain('mirrorRecords');
  });

  it('refuses to overwrite what changed in the target after the source, unless --force', async () => {
    // On the server, a title is renamed later than anything in the CLI's store.
    const pool = new pg.Pool({ connectionString: database.url });
    const { createPostgresStorage } = await import('@sagasync/storage-postgres');
    const server = createPostgresStorage({ pool });
    try {
      const title = (await server.listTitles('alice', { limit: 1 })).items[0]!;
      const { ownerId: _o, version: _v, ...data } = title;
      await server.applyBatch('alice', [{ op: 'putTitle', value: { ...data, title: 'Renamed on the server', updatedAt: new Date(Date.now() + 60_000).toISOString() } }]);
      const before = await dump(database.url, 'alice');
      const refused = await cli(['store', 'copy', '--to', database.url, '--to-owner', 'alice']);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(new RegExp(`error: the target holds 1 record of owner alice changed after the source's or missing from it: titles ${title.asin} \\(changed later\\); nothing was copied`));
      expect(refused.stderr).toMatch(/hint: .*--force/);
      expect(refused.stderr).not.toMatch(/\n\s+at /);
      expect(await dump(database.url, 'alice')).toBe(before);

      const dry = await cli(['store', 'copy', '--to', database.url, '--to-owner', 'alice', '--force', '--dry-run']);
      expect(dry.stdout).toMatch(/^Would copy 1 record from/m);
      expect(await dump(database.url, 'alice')).toBe(before);
      const forced = await cli(['store', 'copy', '--to', database.url, '--to-owner', 'alice', '--force']);
      expect(forced.code, forced.stderr).toBe(0);
      expect(await dump(database.url, 'alice')).toBe(await dump(source));
    } finally {
      await server.close();
      await pool.end();
    }
  });

  it('--reencrypt opens credentials with SAGASYNC_SECRET and seals them with SAGASYNC_TARGET_SECRET', async () => {
    const target = join(s.dir, 'reencrypted.db');
    const missing = await cli(['store', 'copy', '--to', target, '--reencrypt']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/--reencrypt needs the key to save them with in the target/);
    // A blob that is not one (the fixture's "notion") stops it before anything is copied.
    const damaged = await cli(['store', 'copy', '--to', target, '--reencrypt'], { SAGASYNC_TARGET_SECRET: TARGET_SECRET });
    expect(damaged.code).not.toBe(0);
    expect(damaged.stderr).toMatch(/credential "notion" is damaged/);
    const sourceStore = openSqliteStorage({ path: source });
    await sourceStore.applyBatch('local', [{ op: 'deleteCredential', name: 'notion' }]);
    await sourceStore.close();
    expect(await dump(target)).toBe('');

    const copied = await cli(['store', 'copy', '--to', target, '--reencrypt'], { SAGASYNC_TARGET_SECRET: TARGET_SECRET });
    expect(copied.code, copied.stderr).toBe(0);
    const store = openSqliteStorage({ path: target });
    try {
      const names = (await store.listCredentialNames('local')).items.filter((name) => name.startsWith('audible'));
      expect(names.length).toBeGreaterThan(0);
      expect(await createCredentialVault({ storage: store, ownerId: 'local', key: { secret: TARGET_SECRET } }).get(names[0]!)).not.toBeNull();
      await expect(createCredentialVault({ storage: store, ownerId: 'local', key: { secret: SECRET } }).get(names[0]!)).rejects.toMatchObject({ code: 'auth_failed' });
    } finally {
      await store.close();
    }
    expect((await run(['audible', 'accounts', '--json'], { store: target, env: { ...env, SAGASYNC_SECRET: TARGET_SECRET } })).code).toBe(0);
  });

  it('names a bad store clearly and writes nothing', async () => {
    const cases: [string[], RegExp][] = [
      [['store', 'copy', '--to', 'mysql://db/x'], /--to: "mysql:\/\/db\/x" is not a store SagaSync knows/],
      [['store', 'copy', '--from', join(s.dir, 'nothing.db'), '--to', join(s.dir, 'never.db')], /--from: there is no SagaSync store at .*nothing\.db/],
      [['store', 'copy', '--to', 'dynamodb:x'], /--to: "x" is not a DynamoDB table name/],
      [['store', 'copy', '--to', source], /name the same store and owner/],
      [['store', 'dump', 'dynamodb:no-such-table'], /store: there is no DynamoDB table no-such-table/],
      [['store', 'copy', '--to', 'postgresql://nobody:hunter2@127.0.0.1:1/none'], /--to: cannot use the PostgreSQL database postgresql:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none/],
      [['store', 'copy', '--to', join(s.dir, 'x.db'), '--to-owner', ''], /owner/],
    ];
    for (const [args, message] of cases) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).not.toBe(0);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.stderr).not.toContain('hunter2');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
