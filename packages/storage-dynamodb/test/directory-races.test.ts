import { createHash, randomUUID } from 'node:crypto';
import { SagaSyncError, type DirectoryPort, type User } from '@sagasync/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDynamoDirectory } from '../src/index.js';
import { suiteTable } from './table.js';

// Races the conformance suite runs with 8 callers, here with 20 against DynamoDB Local: every
// check-then-write of the adapter is a consistent read plus a conditional write or transaction.
const table = suiteTable();
const CALLERS = 20;
const NOON = new Date('2024-05-10T12:00:00.000Z');
const T0 = '2024-03-01T10:00:00.000Z';

let directory: DirectoryPort;
beforeEach(() => {
  directory = createDynamoDirectory({ documentClient: table.documentClient, tableName: table.tableName });
});
afterEach(() => directory.close());

const newUser = (): Promise<User> => directory.createUser({ id: `user-${randomUUID()}`, name: `u-${randomUUID()}`, createdAt: T0 });
const hashOf = (value: string) => createHash('sha256').update(value).digest('hex');
const times = <T>(n: number, make: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => make(i)));
const settled = <T>(n: number, make: (i: number) => Promise<T>) => Promise.allSettled(Array.from({ length: n }, (_, i) => make(i)));

function refusals(results: PromiseSettledResult<unknown>[]): string[] {
  return results.flatMap((result) => (result.status === 'rejected' ? [SagaSyncError.isInstance(result.reason) ? result.reason.code : String(result.reason)] : []));
}

describe('dynamodb directory under concurrent callers', () => {
  it(`of ${CALLERS} concurrent claims with room for one, exactly one is allowed`, async () => {
    for (const limits of [{ dailyCap: 1, minIntervalMs: 0 }, { dailyCap: 600, minIntervalMs: 15 * 60_000 }]) {
      const user = await newUser();
      const claims = await times(CALLERS, () => directory.claimSync(user.id, NOON, limits));
      expect(claims.filter((claim) => claim.canSync)).toHaveLength(1);
      expect(await directory.getSchedule(user.id)).toMatchObject({ syncsToday: 1, version: 1 });
    }
  });

  it(`of ${CALLERS} concurrent claims on an enabled schedule with a cap of 5 and no interval, exactly 5 are allowed`, async () => {
    const user = await newUser();
    await directory.setScheduleEnabled(user.id, true, { dailyCap: 5, minIntervalMs: 0 });
    const claims = await times(CALLERS, () => directory.claimSync(user.id, NOON));
    expect(claims.filter((claim) => claim.canSync)).toHaveLength(5);
    expect(claims.filter((claim) => !claim.canSync).every((claim) => claim.reason === 'daily_cap_reached')).toBe(true);
    // Each allowed claim saw a different count: none decided on a state another had changed.
    expect(claims.filter((claim) => claim.canSync).map((claim) => claim.syncsRemainingToday).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(await directory.getSchedule(user.id)).toMatchObject({ enabled: true, syncsToday: 5, version: 6 });
  });

  it(`of ${CALLERS} concurrent takes exactly one gets the sign-in`, async () => {
    const user = await newUser();
    const signIn = { id: `signin-${randomUUID()}`, userId: user.id, locale: 'us', ciphertext: 'v1.pkce', createdAt: T0, expiresAt: '2024-03-01T10:10:00.000Z' };
    await directory.putPendingSignIn(signIn);
    const takes = await times(CALLERS, () => directory.takePendingSignIn(signIn.id, new Date('2024-03-01T10:01:00.000Z')));
    expect(takes.filter((taken) => taken !== null)).toEqual([signIn]);
  });

  it(`${CALLERS} concurrent unconditional account puts all land, each at its own version`, async () => {
    const user = await newUser();
    const account = { id: `account-${randomUUID()}`, userId: user.id, locale: 'us', marketplace: 'AF2M0KC94RCEA', label: '', ciphertext: 'v1.c', createdAt: T0, updatedAt: T0 };
    await directory.putAudibleAccount(account);
    const written = await times(CALLERS, (i) => directory.putAudibleAccount({ ...account, label: `writer ${i}` }));
    expect(written.map((stored) => stored.version).sort((a, b) => a - b)).toEqual(Array.from({ length: CALLERS }, (_, i) => i + 2));
    const last = written.find((stored) => stored.version === CALLERS + 1)!;
    expect(await directory.getAudibleAccount(account.id)).toEqual(last);
  });

  it(`of ${CALLERS} concurrent creates of one id exactly one commits, and the others leave no name claim`, async () => {
    const id = `user-${randomUUID()}`;
    const names = Array.from({ length: CALLERS }, () => `u-${randomUUID()}`);
    const results = await settled(CALLERS, (i) => directory.createUser({ id, name: names[i]!, createdAt: T0 }));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(refusals(results).every((code) => code === 'already_exists')).toBe(true);
    const found = await Promise.all(names.map((name) => directory.getUserByName(name)));
    expect(found.filter((user) => user !== null).map((user) => user!.id)).toEqual([id]);
  });

  it(`of ${CALLERS} concurrent tokens with one hash exactly one is stored`, async () => {
    const user = await newUser();
    const hash = hashOf(randomUUID());
    const results = await settled(CALLERS, (i) =>
      directory.putApiToken({ id: `token-${i}-${randomUUID()}`, userId: user.id, hash, label: '', createdAt: T0, lastUsedAt: null, expiresAt: null }),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(refusals(results).every((code) => code === 'already_exists')).toBe(true);
    expect(await directory.listApiTokens(user.id)).toHaveLength(1);
  });

  it('concurrent touches keep the latest use', async () => {
    const user = await newUser();
    const token = await directory.putApiToken({ id: `token-${randomUUID()}`, userId: user.id, hash: hashOf(randomUUID()), label: '', createdAt: T0, lastUsedAt: null, expiresAt: null });
    const base = Date.parse(T0);
    const touched = await times(CALLERS, (i) => directory.touchApiToken(token.id, new Date(base + ((i * 7) % CALLERS) * 1000)));
    expect(touched.every(Boolean)).toBe(true);
    expect((await directory.findUserByTokenHash(token.hash))?.token.lastUsedAt).toBe(new Date(base + (CALLERS - 1) * 1000).toISOString());
  });
});
