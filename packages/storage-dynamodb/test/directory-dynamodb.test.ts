import { createHash, randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand, type DynamoDBDocumentClient, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { SagaSyncError, type ApiToken, type AudibleAccountData, type DirectoryPort, type PendingSignIn, type User } from '@sagasync/core';
import { describe, expect, it } from 'vitest';
import { createDynamoDirectory, documentClientFor } from '../src/index.js';
import { suiteTable } from './table.js';

// What the conformance suite cannot see: the items themselves, the requests sent, failures half way.
const table = suiteTable();

type Item = Record<string, NativeAttributeValue>;
type Send = (command: object) => Promise<unknown>;

const T0 = '2024-03-01T10:00:00.000Z';
const NOON = Date.parse('2024-05-10T12:00:00.000Z');
const MINUTE = 60_000;

/** The suite table's document client with `intercept` in front of every request. */
function intercepted(intercept: (command: object, send: Send) => Promise<unknown>): DynamoDBDocumentClient {
  const inner = table.documentClient;
  const send: Send = (command) => inner.send(command as never);
  return new Proxy(inner, {
    get: (target, property, receiver) => (property === 'send' ? (command: object) => intercept(command, send) : Reflect.get(target, property, receiver)),
  });
}

function directoryOn(documentClient: DynamoDBDocumentClient = table.documentClient): DirectoryPort {
  return createDynamoDirectory({ documentClient, tableName: table.tableName });
}

/** Every item of the suite's table (a Scan: tests may, the adapter never does). */
async function scanAll(): Promise<Item[]> {
  const found: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await table.documentClient.send(new ScanCommand({ TableName: table.tableName, ExclusiveStartKey: start }));
    found.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
}

const mentions = (item: Item, id: string) => JSON.stringify(item).includes(id);
const byKey = (a: Item, b: Item) => `${a.pk} ${a.sk}`.localeCompare(`${b.pk} ${b.sk}`);
const hashOf = (value: string) => createHash('sha256').update(value).digest('hex');

/** Runs `make` for 0..n-1, `parallel` at a time. */
async function inTurns<T>(n: number, parallel: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < n; start += parallel) results.push(...(await Promise.all(Array.from({ length: Math.min(parallel, n - start) }, (_, i) => make(start + i)))));
  return results;
}

const newUser = (dir: DirectoryPort): Promise<User> => dir.createUser({ id: `user-${randomUUID()}`, name: `u-${randomUUID()}`, createdAt: T0 });
const token = (userId: string, i = 0): ApiToken => ({ id: `token-${i}-${randomUUID()}`, userId, hash: hashOf(randomUUID()), label: '', createdAt: T0, lastUsedAt: null, expiresAt: null });
const account = (userId: string, sharedWith: string[] = []): AudibleAccountData => ({
  ...{ id: `account-${randomUUID()}`, userId, sharedWith, locale: 'us', marketplace: 'AF2M0KC94RCEA' },
  ...{ label: 'me@example.com', ciphertext: 'v1.raw.c', createdAt: T0, updatedAt: T0 },
});
const signIn = (userId: string, expiresAt = '2024-03-01T10:10:00.000Z'): PendingSignIn => ({
  ...{ id: `signin-${randomUUID()}`, userId, locale: 'uk', ciphertext: 'v1.pkce' },
  ...{ createdAt: T0, expiresAt },
});

async function failure(action: Promise<unknown>): Promise<SagaSyncError> {
  const error = await action.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(SagaSyncError.isInstance(error), `expected a SagaSyncError, got ${String(error)}`).toBe(true);
  return error as SagaSyncError;
}

describe('dynamodb directory: deleteUser', () => {
  it('deletes a user with many tokens, accounts and sign-ins in several transactions, and nothing of anyone else', async () => {
    const dir = directoryOn();
    const [gone, keptA, keptB] = await Promise.all([newUser(dir), newUser(dir), newUser(dir)]);
    await inTurns(120, 20, (i) => dir.putApiToken(token(gone!.id, i)));
    await inTurns(30, 10, (i) => dir.putAudibleAccount(account(gone!.id, i < 10 ? [keptA!.id, keptB!.id] : [])));
    await inTurns(12, 12, () => dir.putPendingSignIn(signIn(gone!.id)));
    await dir.setWebhookSecret(gone!.id, 'v1.secret.gone');
    await dir.setScheduleEnabled(gone!.id, true);
    // The others' records, some of them shared with the user who goes.
    await dir.putApiToken(token(keptA!.id));
    await dir.putApiToken(token(keptB!.id));
    const sharedWithGone = await inTurns(5, 5, () => dir.putAudibleAccount(account(keptA!.id, [gone!.id, keptB!.id])));
    await dir.putPendingSignIn(signIn(keptA!.id));
    await dir.setWebhookSecret(keptA!.id, 'v1.secret.kept');
    await dir.claimSync(keptA!.id, new Date(NOON));
    const before = await scanAll();

    const sent: string[] = [];
    const counting = directoryOn(intercepted((command, send) => (sent.push(command.constructor.name), send(command))));
    expect(await counting.deleteUser(gone!.id)).toBe(true);

    // 120 tokens x 3 items, 12 sign-ins x 2, the schedule and 5 share refs: more than one transaction holds.
    expect(sent.filter((name) => name === 'TransactWriteCommand').length).toBeGreaterThan(4);
    expect(sent).not.toContain('ScanCommand');
    const after = await scanAll();
    expect(after.filter((item) => mentions(item, gone!.id))).toEqual([]);
    // Every other item is as it was, but for the accounts the user was taken out of.
    const changed = new Set(sharedWithGone.map((shared) => `D#ACCOUNT#${shared.id}`));
    expect(after.filter((item) => !changed.has(String(item.pk))).sort(byKey)).toEqual(before.filter((item) => !mentions(item, gone!.id)).sort(byKey));
    for (const shared of sharedWithGone) expect(await dir.getAudibleAccount(shared.id)).toEqual({ ...shared, sharedWith: [keptB!.id], version: shared.version + 1 });
    expect(await dir.deleteUser(gone!.id)).toBe(false);
  });

  it('a deleteUser that fails half way hides the user, refuses new records for them, and a second call finishes it', async () => {
    const dir = directoryOn();
    const user = await newUser(dir);
    await inTurns(60, 20, (i) => dir.putApiToken(token(user.id, i)));
    await inTurns(3, 3, () => dir.putAudibleAccount(account(user.id)));
    await dir.putPendingSignIn(signIn(user.id));
    await dir.claimSync(user.id, new Date(NOON));

    // The connection drops after two transactions.
    let transactions = 0;
    const flaky = directoryOn(
      intercepted((command, send) => {
        if (command.constructor.name === 'TransactWriteCommand' && ++transactions > 2) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        return send(command);
      }),
    );
    const error = await failure(flaky.deleteUser(user.id));
    expect(error.code).toBe('storage_failure');
    expect((await scanAll()).filter((item) => mentions(item, user.id)).length).toBeGreaterThan(0);

    // Half deleted: the user is gone for readers and writers alike.
    expect(await dir.getUser(user.id)).toBeNull();
    expect(await dir.getUserByName(user.name)).toBeNull();
    expect((await dir.listUsers()).items.map((listed) => listed.id)).not.toContain(user.id);
    expect((await failure(dir.putApiToken(token(user.id)))).code).toBe('not_found');
    expect((await failure(dir.claimSync(user.id, new Date(NOON + 60 * MINUTE)))).code).toBe('not_found');
    expect((await failure(dir.setWebhookSecret(user.id, 'v1.late'))).code).toBe('not_found');
    // Its id stays taken until the deletion is finished; its name is free already.
    expect((await failure(dir.createUser({ ...user, name: `u-${randomUUID()}` }))).code).toBe('already_exists');

    expect(await dir.deleteUser(user.id)).toBe(true);
    expect((await scanAll()).filter((item) => mentions(item, user.id))).toEqual([]);
    expect(await dir.deleteUser(user.id)).toBe(false);
  });
});

describe('dynamodb directory: items and requests', () => {
  it('every key and index key is under D#, and sign-ins carry their expiry as ttl', async () => {
    const dir = directoryOn();
    const user = await newUser(dir);
    const other = await newUser(dir);
    await dir.putApiToken(token(user.id));
    await dir.putAudibleAccount(account(user.id, [other.id]));
    const pending = signIn(user.id, '2024-03-01T10:10:00.500Z');
    await dir.putPendingSignIn(pending);
    await dir.setScheduleEnabled(user.id, true);
    await dir.claimSync(other.id, new Date(NOON));

    const items = await scanAll();
    for (const item of items) {
      expect(String(item.pk)).toMatch(/^D#/);
      if (item.gsi1pk !== undefined) expect(String(item.gsi1pk)).toMatch(/^D#/);
      expect(item.gsi2pk).toBeUndefined();
    }
    const mine = items.filter((item) => mentions(item, pending.id));
    expect(mine).toHaveLength(2);
    // Rounded up to the second: DynamoDB never removes a sign-in before it expires.
    for (const item of mine) expect(item.ttl).toBe(Math.ceil(Date.parse(pending.expiresAt) / 1000));
    const schedules = items.filter((item) => item.sk === 'SCHEDULE');
    expect(schedules.find((item) => item.userId === user.id)?.gsi1pk).toMatch(/^D#DUE#[0-3]$/);
    expect(schedules.find((item) => item.userId === other.id)?.gsi1pk, 'a disabled schedule is not in the due index').toBeUndefined();
  });

  it('sends no Scan, and the per-request reads are GetItem by key', async () => {
    const sent: { name: string; input: Record<string, unknown> }[] = [];
    const dir = directoryOn(intercepted((command, send) => (sent.push({ name: command.constructor.name, input: (command as { input: Record<string, unknown> }).input }), send(command))));
    const user = await newUser(dir);
    const stored = await dir.putApiToken(token(user.id));
    const requestsOf = async (run: () => Promise<unknown>) => {
      sent.length = 0;
      await run();
      return sent.map((request) => request.name);
    };
    expect(await requestsOf(() => dir.findUserByTokenHash(stored.hash))).toEqual(['GetCommand', 'GetCommand', 'GetCommand']);
    expect(await requestsOf(() => dir.getUser(user.id))).toEqual(['GetCommand']);
    expect(await requestsOf(() => dir.getUserByName(user.name))).toEqual(['GetCommand']);
    expect(new Set(await requestsOf(() => dir.listUsersDueForSync(new Date(NOON), { limit: 5 })))).toEqual(new Set(['QueryCommand']));
    expect(sent.every((request) => request.input.IndexName === 'gsi1')).toBe(true);

    sent.length = 0;
    await dir.listUsers({ limit: 2 });
    await dir.listApiTokens(user.id);
    await dir.touchApiToken(stored.id, new Date(NOON));
    await dir.setWebhookSecret(user.id, 'v1.s');
    await dir.getWebhookSecret(user.id);
    const stored2 = await dir.putAudibleAccount(account(user.id));
    await dir.listAudibleAccounts(user.id);
    await dir.deleteAudibleAccount(stored2.id, stored2.version);
    const pending = signIn(user.id);
    await dir.putPendingSignIn(pending);
    await dir.takePendingSignIn(pending.id, new Date(T0));
    await dir.deleteExpiredSignIns(new Date(NOON));
    await dir.claimSync(user.id, new Date(NOON));
    await dir.deleteApiToken(user.id, stored.id);
    await dir.deleteUser(user.id);
    expect(sent.map((request) => request.name)).not.toContain('ScanCommand');
  });

  it('listUsersDueForSync merges the due index shards into one order, page after page', async () => {
    const dir = directoryOn();
    const now = new Date(NOON);
    const users = await inTurns(40, 10, () => newUser(dir));
    // Claimed 16..55 minutes ago, some twice at the same instant's user order, then enabled.
    await inTurns(40, 10, (i) => dir.claimSync(users[i]!.id, new Date(NOON - (16 + (i % 20)) * MINUTE)));
    await inTurns(40, 10, (i) => dir.setScheduleEnabled(users[i]!.id, true));
    const shards = new Set((await scanAll()).filter((item) => item.sk === 'SCHEDULE' && item.gsi1pk).map((item) => item.gsi1pk));
    expect(shards.size).toBeGreaterThan(1);

    const expected = (await dir.listUsersDueForSync(now)).items.map((schedule) => schedule.userId);
    const ours = new Set(users.map((user) => user.id));
    expect(expected.filter((id) => ours.has(id))).toHaveLength(40);
    for (const limit of [1, 3, 7]) {
      const listed: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<DirectoryPort['listUsersDueForSync']>> = await dir.listUsersDueForSync(now, { limit, cursor });
        expect(page.items.length).toBeLessThanOrEqual(limit);
        listed.push(...page.items.map((schedule) => schedule.userId));
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(listed).toEqual(expected);
    }
    const keys = (await dir.listUsersDueForSync(now)).items.map((schedule) => [Date.parse(schedule.nextAllowedSyncAt ?? '1970-01-01T00:00:00Z'), schedule.userId] as const);
    expect(keys).toEqual([...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)));
  });

  it('an account shared with many users: a put changes at most 97 shares; a delete removes every share ref', async () => {
    const dir = directoryOn();
    const owner = await newUser(dir);
    const sharee = await newUser(dir);
    const many = Array.from({ length: 150 }, () => `someone-${randomUUID()}`);
    const data = account(owner.id, [sharee.id, ...many.slice(0, 96)]);
    await dir.putAudibleAccount(data);
    const wide = await dir.putAudibleAccount({ ...data, sharedWith: [sharee.id, ...many] });
    expect(wide.sharedWith).toHaveLength(151);
    const error = await failure(dir.putAudibleAccount({ ...data, sharedWith: Array.from({ length: 98 }, () => `other-${randomUUID()}`) }));
    expect(error.code).toBe('invalid_input');
    expect(error.details.location).toBe('account.sharedWith');

    // Deleting a user it is shared with takes them out; deleting the account takes every share ref with it.
    await dir.deleteUser(sharee.id);
    expect((await dir.getAudibleAccount(data.id))?.sharedWith).toEqual(many);
    expect(await dir.deleteAudibleAccount(data.id)).toBe(true);
    expect((await scanAll()).filter((item) => mentions(item, data.id))).toEqual([]);
  });
});

describe('dynamodb directory: failures', () => {
  it('throttled requests and transactions cancelled by throttling are sent again', async () => {
    const sends = new Map<string, number>();
    const dir = directoryOn(
      intercepted((command, send) => {
        // Every other request of each kind is refused: each one goes through on its next try at the latest.
        const kind = command.constructor.name;
        sends.set(kind, (sends.get(kind) ?? 0) + 1);
        if (sends.get(kind)! % 2 === 0) return send(command);
        if (command.constructor.name === 'TransactWriteCommand') {
          throw Object.assign(new Error('throttled'), { name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'ThrottlingError' }] });
        }
        throw Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' });
      }),
    );
    const user = await newUser(dir);
    const stored = await dir.putApiToken(token(user.id));
    expect((await dir.findUserByTokenHash(stored.hash))?.user).toEqual(user);
    expect((await dir.claimSync(user.id, new Date(NOON))).canSync).toBe(true);
    expect(await dir.deleteUser(user.id)).toBe(true);
  });

  it('a missing table and an unreachable endpoint are storage failures saying what to fix', async () => {
    const missing = createDynamoDirectory({ documentClient: table.documentClient, tableName: `missing-${randomUUID()}` });
    const error = await failure(missing.getUser('u1'));
    expect(error.code).toBe('storage_failure');
    expect(error.message).toMatch(/does not exist/);

    const nowhere = new DynamoDBClient({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
    const unreachable = createDynamoDirectory({ documentClient: documentClientFor(nowhere), tableName: table.tableName, destroyClientOnClose: true });
    const refused = await failure(unreachable.getUser('u1'));
    expect(refused.code).toBe('storage_failure');
    expect(refused.message).toMatch(/cannot reach DynamoDB/);
    await unreachable.close();
  });

  it('fails with storage_failure once closed', async () => {
    const dir = directoryOn();
    await dir.close();
    expect((await failure(dir.getUser('u1'))).code).toBe('storage_failure');
  });
});
