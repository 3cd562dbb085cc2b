import { SagaSyncError, VersionConflictError, type AudibleAccount, type DirectoryPort } from '@sagasync/core';
import { compareText, directoryErrors, directoryInput } from '@sagasync/storage';
import type { AccountStore } from './account-store.js';
import { AGAIN, untilSettled } from './contention.js';
import type { DirectoryContext } from './context.js';
import { conditions, TRANSACTION_LIMIT, type TransactItem } from './directory-table.js';
import { items } from './items.js';
import { keys, REF, refId } from './keys.js';

type AccountMethods = Pick<DirectoryPort, 'putAudibleAccount' | 'getAudibleAccount' | 'listAudibleAccounts' | 'deleteAudibleAccount'>;

/**
 * Share refs one put may add or remove: a put is one transaction (user check, account, owner ref,
 * one action per changed share), and a transaction holds 100 actions.
 */
export const MAX_SHARE_CHANGES = TRANSACTION_LIMIT - 3;

/** The port's account methods, on the items of account-store.ts. */
export function accountMethods(ctx: DirectoryContext, store: AccountStore): AccountMethods {
  const { table, read, liveUser } = ctx;
  const { readAccount, removeAccount } = store;

  return {
    async putAudibleAccount(input, expectedVersion) {
      const account = directoryInput.audibleAccount(input);
      const expected = directoryInput.putVersion('putAudibleAccount', expectedVersion);
      return untilSettled('putAudibleAccount', async () => {
        const [user, existing] = await Promise.all([liveUser(account.userId), readAccount(account.id)]);
        if (!user) throw directoryErrors.userNotFound(account.userId, 'account.userId');
        if (existing && existing.userId !== account.userId) throw directoryErrors.idOfAnotherUser('audible account', account.id, 'account.id');
        const actual = existing?.version ?? null;
        if (expected !== undefined && expected !== actual) throw new VersionConflictError('audible account', account.id, expected, actual);
        const stored: AudibleAccount = { ...account, version: (actual ?? 0) + 1 };

        const before = new Set(existing?.sharedWith ?? []);
        const after = new Set(stored.sharedWith);
        const added = stored.sharedWith.filter((userId) => !before.has(userId));
        const removed = [...before].filter((userId) => !after.has(userId));
        if (added.length + removed.length > MAX_SHARE_CHANGES) {
          throw new SagaSyncError('invalid_input', `putAudibleAccount: account.sharedWith is invalid: one put adds or removes at most ${MAX_SHARE_CHANGES} users on DynamoDB`, {
            details: { location: 'account.sharedWith' },
          });
        }

        const actions: TransactItem[] = [
          table.tx.check(keys.user(account.userId), conditions.userLive),
          // The version read (or absence) is the condition: a writer in between makes this attempt lose.
          table.tx.put(items.account(stored), existing ? conditions.versionIs(existing.version) : conditions.absent),
          ...(existing ? [] : [table.tx.put(items.accountRef(stored))]),
          ...added.map((userId) => table.tx.put(items.shareRef(userId, stored))),
          ...removed.map((userId) => table.tx.delete(keys.shareRef(userId, stored.id))),
        ];
        const outcome = await table.transact(actions);
        if (outcome.ok) return stored;
        if (outcome.failed[0]) throw directoryErrors.userNotFound(account.userId, 'account.userId');
        return AGAIN;
      });
    },

    async getAudibleAccount(accountId) {
      return readAccount(directoryInput.id('getAudibleAccount', accountId, 'accountId'));
    },

    async listAudibleAccounts(userId) {
      const id = directoryInput.userId('listAudibleAccounts', userId);
      const refs = await table.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.userPartition(id), ':prefix': REF.account },
      });
      const accounts = (await table.getMany(refs.map((ref) => keys.account(refId(String(ref.sk), REF.account))))).map(read.account).filter((account) => account.userId === id);
      return accounts.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || compareText(a.id, b.id));
    },

    async deleteAudibleAccount(accountId, expectedVersion) {
      const id = directoryInput.id('deleteAudibleAccount', accountId, 'accountId');
      const expected = directoryInput.deleteVersion('deleteAudibleAccount', expectedVersion);
      return untilSettled('deleteAudibleAccount', async () => {
        const account = await readAccount(id);
        const actual = account?.version ?? null;
        if (expected !== undefined && expected !== actual) throw new VersionConflictError('audible account', id, expected, actual);
        if (!account) return false;
        return (await removeAccount(account)) || AGAIN;
      });
    },
  };
}
