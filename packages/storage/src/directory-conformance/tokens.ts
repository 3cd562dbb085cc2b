import { describe, expect, it } from 'vitest';
import { at, MINUTE, randomTokenHash, T0, T1, tokenData } from './fixtures.js';
import { expectFailure, type DirectorySuiteContext } from './suite-context.js';

export function describeTokens(ctx: DirectorySuiteContext): void {
  describe('API tokens', () => {
    it('a token round-trips, and its hash finds the user and the token', async () => {
      const user = await ctx.user();
      const token = tokenData(ctx.id('token'), user.id, { label: 'phone', lastUsedAt: T1, expiresAt: '2030-01-01T00:00:00.000Z' });
      expect(await ctx.directory().putApiToken(token)).toEqual(token);
      expect(await ctx.directory().findUserByTokenHash(token.hash)).toEqual({ user, token, webhookSecret: null });
      expect(await ctx.directory().listApiTokens(user.id)).toEqual([token]);
      expect(await ctx.directory().findUserByTokenHash(randomTokenHash())).toBeNull();
    });

    it("the hash also finds the user's sealed webhook secret, as it is now", async () => {
      const user = await ctx.user();
      const token = await ctx.directory().putApiToken(tokenData(ctx.id('token'), user.id));
      await ctx.directory().setWebhookSecret(user.id, 'v1.raw.a.b.c.first');
      expect((await ctx.directory().findUserByTokenHash(token.hash))?.webhookSecret).toBe('v1.raw.a.b.c.first');
      await ctx.directory().setWebhookSecret(user.id, 'v1.raw.a.b.c.second');
      expect((await ctx.directory().findUserByTokenHash(token.hash))?.webhookSecret).toBe('v1.raw.a.b.c.second');
      await ctx.directory().setWebhookSecret(user.id, null);
      expect((await ctx.directory().findUserByTokenHash(token.hash))?.webhookSecret).toBeNull();
    });

    it('an expired token is still found: the caller checks expiresAt against its clock', async () => {
      const user = await ctx.user();
      const token = await ctx.directory().putApiToken(tokenData(ctx.id('token'), user.id, { expiresAt: T0 }));
      expect((await ctx.directory().findUserByTokenHash(token.hash))?.token.expiresAt).toBe(T0);
    });

    it('lists a user’s tokens oldest first, then by id, and none of anyone else', async () => {
      const user = await ctx.user();
      const other = await ctx.user();
      const late = await ctx.directory().putApiToken(tokenData(ctx.id('b'), user.id, { createdAt: T1 }));
      const earlyB = await ctx.directory().putApiToken(tokenData(`${ctx.id('x')}-b`, user.id, { createdAt: T0 }));
      // Same instant written with an offset: ordered as a time, then by id.
      const earlyA = await ctx.directory().putApiToken(tokenData(`${earlyB.id.slice(0, -2)}-a`, user.id, { createdAt: '2024-03-01T11:00:00+01:00' }));
      await ctx.directory().putApiToken(tokenData(ctx.id('token'), other.id));
      expect((await ctx.directory().listApiTokens(user.id)).map((token) => token.id)).toEqual([earlyA.id, earlyB.id, late.id]);
      expect(await ctx.directory().listApiTokens(ctx.id('nobody'))).toEqual([]);
    });

    it('a put with the same id replaces the token; the old hash no longer finds it', async () => {
      const user = await ctx.user();
      const first = await ctx.directory().putApiToken(tokenData(ctx.id('token'), user.id));
      const rotated = await ctx.directory().putApiToken({ ...first, hash: randomTokenHash(), label: 'rotated' });
      expect(await ctx.directory().findUserByTokenHash(first.hash)).toBeNull();
      expect((await ctx.directory().findUserByTokenHash(rotated.hash))?.token.label).toBe('rotated');
      expect(await ctx.directory().listApiTokens(user.id)).toEqual([rotated]);
    });

    it('refuses a hash of another token, an id of another user’s token and an unknown user', async () => {
      const user = await ctx.user();
      const other = await ctx.user();
      const token = await ctx.directory().putApiToken(tokenData(ctx.id('token'), user.id));
      const error = await expectFailure(ctx.directory().putApiToken(tokenData(ctx.id('token'), other.id, { hash: token.hash })), 'already_exists', 'token.hash');
      expect(error.message).not.toContain(token.hash);
      await expectFailure(ctx.directory().putApiToken(tokenData(token.id, other.id)), 'already_exists', 'token.id');
      await expectFailure(ctx.directory().putApiToken(tokenData(ctx.id('token'), ctx.id('nobody'))), 'not_found', 'token.userId');
      expect(await ctx.directory().listApiTokens(other.id)).toEqual([]);
      expect((await ctx.directory().findUserByTokenHash(token.hash))?.user.id).toBe(user.id);
    });

    it('deleteApiToken deletes only the named user’s token', async () => {
      const user = await ctx.user();
      const other = await ctx.user();
      const token = await ctx.directory().putApiToken(tokenData(ctx.id('token'), user.id));
      expect(await ctx.directory().deleteApiToken(other.id, token.id), 'another user cannot delete it').toBe(false);
      expect(await ctx.directory().findUserByTokenHash(token.hash)).not.toBeNull();
      expect(await ctx.directory().deleteApiToken(user.id, token.id)).toBe(true);
      expect(await ctx.directory().findUserByTokenHash(token.hash)).toBeNull();
      expect(await ctx.directory().deleteApiToken(user.id, token.id)).toBe(false);
      // The hash is free again.
      await ctx.directory().putApiToken(tokenData(ctx.id('token'), other.id, { hash: token.hash }));
      expect((await ctx.directory().findUserByTokenHash(token.hash))?.user.id).toBe(other.id);
    });

    it('touchApiToken records the last use, never moving it backwards', async () => {
      const user = await ctx.user();
      const token = await ctx.directory().putApiToken(tokenData(ctx.id('token'), user.id));
      expect(await ctx.directory().touchApiToken(token.id, at(T0, 5 * MINUTE))).toBe(true);
      const lastUsed = async () => (await ctx.directory().findUserByTokenHash(token.hash))?.token.lastUsedAt;
      expect(Date.parse((await lastUsed())!)).toBe(Date.parse(T0) + 5 * MINUTE);
      expect(await ctx.directory().touchApiToken(token.id, at(T0, MINUTE))).toBe(true);
      expect(Date.parse((await lastUsed())!)).toBe(Date.parse(T0) + 5 * MINUTE);
      await ctx.directory().touchApiToken(token.id, at(T1));
      expect(Date.parse((await lastUsed())!)).toBe(Date.parse(T1));
      expect(await ctx.directory().touchApiToken(ctx.id('token'), at(T1)), 'an unknown token').toBe(false);
    });
  });
}
