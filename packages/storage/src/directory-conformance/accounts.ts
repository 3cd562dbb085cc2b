import { SagaSyncError, VersionConflictError } from '@sagasync/core';
import { describe, expect, it } from 'vitest';
import { accountData, T0, T1 } from './fixtures.js';
import { expectFailure, type DirectorySuiteContext } from './suite-context.js';

export function describeAccounts(ctx: DirectorySuiteContext): void {
  describe('webhook secrets', () => {
    it('set, read, replace and remove a user’s secret ciphertext', async () => {
      const user = await ctx.user();
      expect(await ctx.directory().getWebhookSecret(user.id)).toBeNull();
      await ctx.directory().setWebhookSecret(user.id, 'v1.raw.a.b.c.first');
      expect(await ctx.directory().getWebhookSecret(user.id)).toBe('v1.raw.a.b.c.first');
      await ctx.directory().setWebhookSecret(user.id, 'v1.raw.a.b.c.second');
      expect(await ctx.directory().getWebhookSecret(user.id)).toBe('v1.raw.a.b.c.second');
      await ctx.directory().setWebhookSecret(user.id, null);
      expect(await ctx.directory().getWebhookSecret(user.id)).toBeNull();
    });

    it('refuses an unknown user and an empty ciphertext', async () => {
      await expectFailure(ctx.directory().setWebhookSecret(ctx.id('nobody'), 'v1.raw.a.b.c.d'), 'not_found', 'userId');
      const user = await ctx.user();
      await expectFailure(ctx.directory().setWebhookSecret(user.id, ''), 'invalid_input', 'ciphertext');
      expect(await ctx.directory().getWebhookSecret(user.id)).toBeNull();
    });
  });

  describe('Audible accounts', () => {
    it('an account round-trips at version 1, sharedWith defaulting to empty', async () => {
      const user = await ctx.user();
      const data = accountData(ctx.id('account'), user.id);
      const stored = await ctx.directory().putAudibleAccount(data);
      expect(stored).toEqual({ ...data, sharedWith: [], version: 1 });
      expect(await ctx.directory().getAudibleAccount(data.id)).toEqual(stored);
      expect(await ctx.directory().listAudibleAccounts(user.id)).toEqual([stored]);
      expect(await ctx.directory().getAudibleAccount(ctx.id('account'))).toBeNull();
    });

    it('keeps sharedWith, and lists only the accounts a user owns, oldest first', async () => {
      const owner = await ctx.user();
      const sharer = await ctx.user();
      const second = await ctx.directory().putAudibleAccount(accountData(ctx.id('b'), owner.id, { createdAt: T1, sharedWith: [sharer.id] }));
      const first = await ctx.directory().putAudibleAccount(accountData(ctx.id('c'), owner.id, { createdAt: T0, locale: 'de' }));
      expect(second.sharedWith).toEqual([sharer.id]);
      expect((await ctx.directory().listAudibleAccounts(owner.id)).map((account) => account.id)).toEqual([first.id, second.id]);
      expect(await ctx.directory().listAudibleAccounts(sharer.id)).toEqual([]);
    });

    it('an unconditional put upserts to the next version; create-only refuses an existing account', async () => {
      const user = await ctx.user();
      const data = accountData(ctx.id('account'), user.id);
      await ctx.directory().putAudibleAccount(data, null);
      const updated = await ctx.directory().putAudibleAccount({ ...data, label: 'renamed', updatedAt: T1 });
      expect(updated.version).toBe(2);
      expect((await ctx.directory().getAudibleAccount(data.id))?.label).toBe('renamed');
      const error = await expectFailure(ctx.directory().putAudibleAccount({ ...data, label: 'again' }, null), 'version_conflict');
      expect(error).toBeInstanceOf(VersionConflictError);
      expect(error.details).toMatchObject({ expected: null, actual: 2 });
      expect((await ctx.directory().getAudibleAccount(data.id))?.label).toBe('renamed');
    });

    it('an update with the current version succeeds; a stale or missing one is a version conflict', async () => {
      const user = await ctx.user();
      const data = accountData(ctx.id('account'), user.id);
      await expectFailure(ctx.directory().putAudibleAccount(data, 1), 'version_conflict');
      expect(await ctx.directory().getAudibleAccount(data.id)).toBeNull();
      await ctx.directory().putAudibleAccount(data, null);
      expect((await ctx.directory().putAudibleAccount({ ...data, label: 'two' }, 1)).version).toBe(2);
      const error = await expectFailure(ctx.directory().putAudibleAccount({ ...data, label: 'stale' }, 1), 'version_conflict');
      expect(error.details).toMatchObject({ expected: 1, actual: 2 });
      expect((await ctx.directory().getAudibleAccount(data.id))?.label).toBe('two');
    });

    it('a delete with a stale version fails; with the current one it deletes; an unconditional one of nothing is false', async () => {
      const user = await ctx.user();
      const data = accountData(ctx.id('account'), user.id);
      await ctx.directory().putAudibleAccount(data);
      await ctx.directory().putAudibleAccount(data);
      await expectFailure(ctx.directory().deleteAudibleAccount(data.id, 1), 'version_conflict');
      expect((await ctx.directory().getAudibleAccount(data.id))?.version).toBe(2);
      expect(await ctx.directory().deleteAudibleAccount(data.id, 2)).toBe(true);
      expect(await ctx.directory().getAudibleAccount(data.id)).toBeNull();
      await expectFailure(ctx.directory().deleteAudibleAccount(data.id, 2), 'version_conflict');
      expect(await ctx.directory().deleteAudibleAccount(data.id)).toBe(false);
    });

    it('of N parallel read-modify-write updates with retries none is lost', async () => {
      const user = await ctx.user();
      const data = accountData(ctx.id('account'), user.id, { label: '' });
      await ctx.directory().putAudibleAccount(data);
      const writers = Array.from({ length: ctx.parallelCallers }, (_, i) => `w${i}`);
      await Promise.all(
        writers.map(async (writer) => {
          for (let attempt = 0; attempt < 200; attempt++) {
            const current = (await ctx.directory().getAudibleAccount(data.id))!;
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
            const { version, ...rest } = current;
            try {
              await ctx.directory().putAudibleAccount({ ...rest, label: `${rest.label}${writer};` }, version);
              return;
            } catch (error) {
              if (!SagaSyncError.isInstance(error) || error.code !== 'version_conflict') throw error;
            }
          }
          throw new Error(`writer ${writer} gave up after 200 conflicts`);
        }),
      );
      const stored = await ctx.directory().getAudibleAccount(data.id);
      expect(stored!.label.split(';').filter(Boolean).sort()).toEqual([...writers].sort());
      expect(stored!.version).toBe(1 + writers.length);
    });

    it('refuses an unknown owner and an id of another user’s account', async () => {
      const user = await ctx.user();
      const other = await ctx.user();
      await expectFailure(ctx.directory().putAudibleAccount(accountData(ctx.id('account'), ctx.id('nobody'))), 'not_found', 'account.userId');
      const account = await ctx.directory().putAudibleAccount(accountData(ctx.id('account'), user.id));
      await expectFailure(ctx.directory().putAudibleAccount(accountData(account.id, other.id)), 'already_exists', 'account.id');
      expect((await ctx.directory().getAudibleAccount(account.id))?.userId).toBe(user.id);
    });
  });
}
