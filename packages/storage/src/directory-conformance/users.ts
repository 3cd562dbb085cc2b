import { SagaSyncError, type User } from '@sagasync/core';
import { describe, expect, it } from 'vitest';
import { accountData, at, signInData, T0, T1, tokenData } from './fixtures.js';
import { expectFailure, type DirectorySuiteContext } from './suite-context.js';

/** Every page of `listUsers`, in order, checking each page's size. */
async function allUsers(ctx: DirectorySuiteContext, limit: number): Promise<User[]> {
  const users: User[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100_000; pages++) {
    const page: { items: User[]; nextCursor: string | null } = await ctx.directory().listUsers({ limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    users.push(...page.items);
    cursor = page.nextCursor;
    if (cursor === null) return users;
  }
  throw new Error('listUsers never returned a last page');
}

export function describeUsers(ctx: DirectorySuiteContext): void {
  describe('users', () => {
    it('a created user reads back by id and by name, and lookups of unknown ones are null', async () => {
      const user = { id: ctx.id('user'), name: ctx.name(), createdAt: T1 };
      expect(await ctx.directory().createUser(user)).toEqual(user);
      expect(await ctx.directory().getUser(user.id)).toEqual(user);
      expect(await ctx.directory().getUserByName(user.name)).toEqual(user);
      expect(await ctx.directory().getUser(ctx.id('user'))).toBeNull();
      expect(await ctx.directory().getUserByName(ctx.name())).toBeNull();
    });

    it('names are trimmed and lower-cased, so lookups and uniqueness ignore case', async () => {
      const name = ctx.name('mixed');
      const user = await ctx.directory().createUser({ id: ctx.id('user'), name: `  ${name.toUpperCase()} `, createdAt: T0 });
      expect(user.name).toBe(name);
      expect((await ctx.directory().getUser(user.id))?.name).toBe(name);
      expect((await ctx.directory().getUserByName(name.toUpperCase()))?.id).toBe(user.id);
      await expectFailure(ctx.directory().createUser({ id: ctx.id('user'), name, createdAt: T0 }), 'already_exists', 'user.name');
    });

    it('a taken name or id is already_exists and changes nothing', async () => {
      const first = await ctx.user();
      const clash = { id: ctx.id('user'), name: first.name, createdAt: T1 };
      const error = await expectFailure(ctx.directory().createUser(clash), 'already_exists', 'user.name');
      expect(error.message).toContain(first.name);
      expect(await ctx.directory().getUser(clash.id)).toBeNull();
      await expectFailure(ctx.directory().createUser({ id: first.id, name: ctx.name(), createdAt: T1 }), 'already_exists', 'user.id');
      expect(await ctx.directory().getUser(first.id)).toEqual(first);
    });

    it('of N parallel creates of one name exactly one succeeds', async () => {
      const name = ctx.name();
      const results = await Promise.allSettled(
        Array.from({ length: ctx.parallelCallers }, () => ctx.directory().createUser({ id: ctx.id('user'), name, createdAt: T0 })),
      );
      const created = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
      const refused = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
      expect(created).toHaveLength(1);
      expect(refused.every((reason) => SagaSyncError.isInstance(reason) && reason.code === 'already_exists')).toBe(true);
      expect((await ctx.directory().getUserByName(name))?.id).toBe(created[0]!.id);
    });

    it('pages list every user exactly once, ordered by name, whatever the page size', async () => {
      const prefix = ctx.name('page');
      const mine = await Promise.all(Array.from({ length: 7 }, (_, i) => ctx.user(`${prefix}-${String.fromCharCode(103 - i)}`)));
      for (const limit of [1, 3, 7, 1000]) {
        const listed = await allUsers(ctx, limit);
        const names = listed.map((user) => user.name);
        expect(names, 'names are in code-unit order').toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
        expect(new Set(listed.map((user) => user.id)).size, 'no user is listed twice').toBe(listed.length);
        const ours = listed.filter((user) => user.name.startsWith(prefix));
        expect(ours.map((user) => user.id).sort()).toEqual(mine.map((user) => user.id).sort());
      }
    });

    it('a page cursor survives users being added and removed between pages', async () => {
      const prefix = ctx.name('keyset');
      const [a, b, c, d] = await Promise.all(['a', 'b', 'c', 'd'].map((letter) => ctx.user(`${prefix}-${letter}`)));
      // Find the page that ends at b, then change the directory under the cursor.
      let cursor: string | null = null;
      let seen: User[] = [];
      do {
        const page: { items: User[]; nextCursor: string | null } = await ctx.directory().listUsers({ limit: 1, cursor });
        seen = page.items;
        cursor = page.nextCursor;
      } while (seen[0]?.id !== b!.id && cursor !== null);
      expect(seen[0]?.id).toBe(b!.id);
      await ctx.directory().deleteUser(a!.id);
      await ctx.directory().deleteUser(c!.id);
      const e = await ctx.user(`${prefix}-e`);
      const rest = (await ctx.directory().listUsers({ cursor, limit: 1000 })).items.filter((user) => user.name.startsWith(prefix));
      expect(rest.map((user) => user.id)).toEqual([d!.id, e.id]);
    });

    it('deleteUser removes the user and everything that hangs off them, and nothing of anyone else', async () => {
      const gone = await ctx.user();
      const kept = await ctx.user();
      const dir = ctx.directory();
      const token = await dir.putApiToken(tokenData(ctx.id('token'), gone.id));
      const keptToken = await dir.putApiToken(tokenData(ctx.id('token'), kept.id));
      await dir.setWebhookSecret(gone.id, 'v1.secret.gone');
      await dir.setWebhookSecret(kept.id, 'v1.secret.kept');
      const account = await dir.putAudibleAccount(accountData(ctx.id('account'), gone.id));
      const shared = await dir.putAudibleAccount(accountData(ctx.id('account'), kept.id, { sharedWith: [gone.id] }));
      const signIn = signInData(ctx.id('signin'), gone.id);
      await dir.putPendingSignIn(signIn);
      await dir.setScheduleEnabled(gone.id, true);
      await dir.setScheduleEnabled(kept.id, true);

      expect(await dir.deleteUser(gone.id)).toBe(true);

      expect(await dir.getUser(gone.id)).toBeNull();
      expect(await dir.getUserByName(gone.name)).toBeNull();
      expect(await dir.findUserByTokenHash(token.hash)).toBeNull();
      expect(await dir.listApiTokens(gone.id)).toEqual([]);
      expect(await dir.getWebhookSecret(gone.id)).toBeNull();
      expect(await dir.getAudibleAccount(account.id)).toBeNull();
      expect(await dir.listAudibleAccounts(gone.id)).toEqual([]);
      expect(await dir.takePendingSignIn(signIn.id, at(T0))).toBeNull();
      expect(await dir.getSchedule(gone.id)).toBeNull();
      // The other user's records stay; the deleted user no longer shares their account.
      expect((await dir.findUserByTokenHash(keptToken.hash))?.user.id).toBe(kept.id);
      expect(await dir.getWebhookSecret(kept.id)).toBe('v1.secret.kept');
      const after = await dir.getAudibleAccount(shared.id);
      expect(after?.sharedWith).toEqual([]);
      expect(after?.version).toBe(shared.version + 1);
      expect((await dir.getSchedule(kept.id))?.enabled).toBe(true);

      expect(await dir.deleteUser(gone.id), 'a second delete finds nothing').toBe(false);
      // The name is free again.
      const again = await dir.createUser({ id: ctx.id('user'), name: gone.name, createdAt: T1 });
      expect((await dir.getUserByName(gone.name))?.id).toBe(again.id);
    });

    it('returned users are copies: mutating one changes nothing stored', async () => {
      const user = await ctx.user();
      const read = (await ctx.directory().getUser(user.id))!;
      read.name = 'changed';
      expect((await ctx.directory().getUser(user.id))?.name).toBe(user.name);
    });
  });
}
