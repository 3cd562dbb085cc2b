import type { ApiToken, PendingSignIn, User } from '@sagasync/core';
import { describe, expect, it } from 'vitest';
import { accountData, at, signInData, T0, tokenData } from './fixtures.js';
import { expectFailure, type DirectorySuiteContext } from './suite-context.js';

export function describeValidation(ctx: DirectorySuiteContext): void {
  describe('input validation', () => {
    it('an invalid user is invalid_input naming the field, and nothing is written', async () => {
      const id = ctx.id('user');
      await expectFailure(ctx.directory().createUser({ id, name: 'no spaces allowed', createdAt: T0 }), 'invalid_input', 'user.name');
      await expectFailure(ctx.directory().createUser({ id, name: 'x'.repeat(65), createdAt: T0 }), 'invalid_input', 'user.name');
      await expectFailure(ctx.directory().createUser({ id, name: '', createdAt: T0 }), 'invalid_input', 'user.name');
      await expectFailure(ctx.directory().createUser({ id, name: ctx.name(), createdAt: 'yesterday' }), 'invalid_input', 'user.createdAt');
      await expectFailure(ctx.directory().createUser({ id: '', name: ctx.name(), createdAt: T0 }), 'invalid_input', 'user.id');
      await expectFailure(ctx.directory().createUser(null as unknown as User), 'invalid_input', 'user');
      expect(await ctx.directory().getUser(id)).toBeNull();
    });

    it('an invalid token names the field and never quotes the hash', async () => {
      const user = await ctx.user();
      const bad = 'ABCDEF'.repeat(10) + 'ABCD';
      const error = await expectFailure(ctx.directory().putApiToken(tokenData(ctx.id('token'), user.id, { hash: bad })), 'invalid_input', 'token.hash');
      expect(error.message).not.toContain(bad);
      await expectFailure(ctx.directory().putApiToken({ ...tokenData(ctx.id('token'), user.id), expiresAt: 'soon' } as ApiToken), 'invalid_input', 'token.expiresAt');
      await expectFailure(ctx.directory().findUserByTokenHash('not-a-hash'), 'invalid_input', 'hash');
      await expectFailure(ctx.directory().touchApiToken(ctx.id('token'), new Date('nonsense')), 'invalid_input', 'at');
      expect(await ctx.directory().listApiTokens(user.id)).toEqual([]);
    });

    it('an invalid account, version or sign-in names the field and never quotes the ciphertext', async () => {
      const user = await ctx.user();
      const account = accountData(ctx.id('account'), user.id);
      await expectFailure(ctx.directory().putAudibleAccount({ ...account, locale: 'usa' }), 'invalid_input', 'account.locale');
      await expectFailure(ctx.directory().putAudibleAccount({ ...account, ciphertext: '' }), 'invalid_input', 'account.ciphertext');
      await expectFailure(ctx.directory().putAudibleAccount({ ...account, sharedWith: ['a', 'a'] }), 'invalid_input', 'account.sharedWith');
      await expectFailure(ctx.directory().putAudibleAccount(account, 0), 'invalid_input', 'expectedVersion');
      await expectFailure(ctx.directory().deleteAudibleAccount(account.id, -1), 'invalid_input', 'expectedVersion');
      const secret = 'v1.raw.SECRET-LOOKING';
      const error = await expectFailure(
        ctx.directory().putPendingSignIn({ ...signInData(ctx.id('signin'), user.id), ciphertext: secret, expiresAt: 'later' } as PendingSignIn),
        'invalid_input',
        'signIn.expiresAt',
      );
      expect(error.message).not.toContain(secret);
      await expectFailure(ctx.directory().takePendingSignIn('', at(T0)), 'invalid_input', 'id');
      expect(await ctx.directory().getAudibleAccount(account.id)).toBeNull();
    });

    it('page requests: a bad limit or a foreign cursor is invalid_input', async () => {
      await ctx.user();
      await ctx.user();
      await expectFailure(ctx.directory().listUsers({ limit: 0 }), 'invalid_input', 'limit');
      await expectFailure(ctx.directory().listUsers({ cursor: 'not a cursor' }), 'invalid_input', 'cursor');
      const users = await ctx.directory().listUsers({ limit: 1 });
      expect(users.nextCursor).not.toBeNull();
      // A cursor of one list does not continue another.
      await expectFailure(ctx.directory().listUsersDueForSync(at(T0), { cursor: users.nextCursor }), 'invalid_input', 'cursor');
    });
  });
}
