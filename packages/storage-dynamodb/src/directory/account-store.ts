import type { AudibleAccount } from '@sagasync/core';
import { AGAIN, untilSettled } from './contention.js';
import type { DirectoryContext } from './context.js';
import { conditions, TRANSACTION_LIMIT } from './directory-table.js';
import { items } from './items.js';
import { keys } from './keys.js';

/**
 * Audible accounts as items: the account at `D#ACCOUNT#<id>` (its id's claim, carrying the
 * version), a ref in the owner's partition, and a share ref in the partition of every user in
 * `sharedWith`, so deleting that user finds the account without a scan. A share ref is written in
 * the same transaction as the account that starts sharing; one left behind (see `removeAccount`)
 * is harmless: whoever reads it checks the account.
 *
 * The account methods and `deleteUser` both use these.
 */
export function createAccountStore({ table, read }: DirectoryContext) {
  async function readAccount(accountId: string): Promise<AudibleAccount | null> {
    const item = await table.get(keys.account(accountId));
    return item ? read.account(item) : null;
  }

  /**
   * Deletes an account read at its current version, with its owner ref and share refs, in one
   * transaction. False when the account changed since it was read. Share refs that do not fit the
   * transaction are removed afterwards, each only while the account (gone, or re-created under the
   * same id) does not share with that user; a crash in between leaves refs that point at nothing.
   */
  async function removeAccount(account: AudibleAccount): Promise<boolean> {
    const room = TRANSACTION_LIMIT - 2;
    const inline = account.sharedWith.slice(0, room);
    const outcome = await table.transact([
      table.tx.delete(keys.account(account.id), conditions.versionIs(account.version)),
      table.tx.delete(keys.accountRef(account.userId, account.id)),
      ...inline.map((userId) => table.tx.delete(keys.shareRef(userId, account.id))),
    ]);
    if (!outcome.ok) return false;
    for (const userId of account.sharedWith.slice(room)) {
      await untilSettled('deleteAudibleAccount', async () => {
        const stale = await table.transact([
          table.tx.check(keys.account(account.id), {
            expression: 'attribute_not_exists(pk) OR NOT contains(#sharedWith, :userId)',
            names: { '#sharedWith': 'sharedWith' },
            values: { ':userId': userId },
          }),
          table.tx.delete(keys.shareRef(userId, account.id)),
        ]);
        return stale.ok || !stale.contended || AGAIN;
      });
    }
    return true;
  }

  /** Takes a user out of an account's `sharedWith` (a new version, as any change); nothing when the account does not list them. */
  async function unshare(accountId: string, userId: string): Promise<void> {
    await untilSettled('deleteUser', async () => {
      const account = await readAccount(accountId);
      if (!account || !account.sharedWith.includes(userId)) return undefined;
      const next: AudibleAccount = { ...account, sharedWith: account.sharedWith.filter((other) => other !== userId), version: account.version + 1 };
      return (await table.put(items.account(next), conditions.versionIs(account.version))) ? undefined : AGAIN;
    });
  }

  return { readAccount, removeAccount, unshare };
}

export type AccountStore = ReturnType<typeof createAccountStore>;
