import { SagaSyncError, type DirectoryPort } from '@sagasync/core';
import { directoryInput } from '@sagasync/storage';
import type { AccountStore } from './account-store.js';
import type { DirectoryContext } from './context.js';
import { conditions, TRANSACTION_LIMIT, type Condition, type Item, type TransactItem } from './directory-table.js';
import { keys, REF, refId, USER_SK } from './keys.js';

/** Transactions or account updates of one deletion in flight at once. */
const PARALLEL = 4;
/** Reads of the partition before giving up (each pass deletes all it read; later passes only catch racing writes). */
const MAX_PASSES = 5;

const DELETING = { '#deleting': 'deleting' };

/** Deletes only what is missing or still this owner's (an id claim taken over meanwhile stays). */
function unlessOther(attribute: string, value: string): Condition {
  return { expression: 'attribute_not_exists(pk) OR #owner = :owner', names: { '#owner': attribute }, values: { ':owner': value } };
}

async function forEachLimited<T>(values: readonly T[], limit: number, run: (value: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < values.length) await run(values[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, values.length) }, worker));
}

/** Groups of delete actions into transactions of at most 100 actions, a group never split. */
function pack(groups: readonly TransactItem[][]): TransactItem[][] {
  const batches: TransactItem[][] = [];
  let current: TransactItem[] = [];
  for (const group of groups) {
    if (current.length > 0 && current.length + group.length > TRANSACTION_LIMIT) {
      batches.push(current);
      current = [];
    }
    current.push(...group);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * `deleteUser`, in steps that are each safe to repeat, because what is left always leads to what
 * is still to delete:
 *
 * 1. mark the user item `deleting` (a conditional update): from then on every write that hangs off
 *    the user fails its user check (`conditions.userLive`, in the same transaction), reads treat the
 *    user as gone, and a `deleteUser` that failed half way finds the mark and carries on;
 * 2. free the name (its claim, only if still this user's);
 * 3. read the user's partition (a strongly consistent Query, so every write that committed before
 *    the mark is in it) and take the user out of other owners' accounts found by share refs, then
 *    delete each owned thing together with what points at it (token + hash claim + ref, account +
 *    ref + share refs, sign-in + ref, schedule) in transactions of at most 100 actions; a ref goes
 *    in the same transaction as its target, so a crash never leaves a target no ref leads to. The
 *    partition is read again until nothing but the user item is left;
 * 4. delete the user item, last.
 *
 * A crash anywhere leaves the mark in place and a retry completes the deletion (and answers true).
 */
export function deleteUserMethod({ table, read }: DirectoryContext, accounts: AccountStore): Pick<DirectoryPort, 'deleteUser'> {
  async function removePartition(userId: string, partition: Item[]): Promise<void> {
    const groups: TransactItem[][] = [];
    const shared: string[] = [];
    const owned: string[] = [];
    for (const item of partition) {
      const sk = String(item.sk);
      const self = table.tx.delete({ pk: String(item.pk), sk });
      if (sk.startsWith(REF.shared)) shared.push(refId(sk, REF.shared));
      else if (sk.startsWith(REF.account)) owned.push(refId(sk, REF.account));
      else if (sk.startsWith(REF.token)) {
        const ref = read.tokenRef(item);
        groups.push([
          table.tx.delete(keys.token(ref.tokenId), unlessOther('userId', userId)),
          table.tx.delete(keys.hash(ref.hash), unlessOther('tokenId', ref.tokenId)),
          self,
        ]);
      } else if (sk.startsWith(REF.signIn)) groups.push([table.tx.delete(keys.signIn(refId(sk, REF.signIn)), unlessOther('userId', userId)), self]);
      // The schedule, and anything else in the partition: it is all the user's.
      else groups.push([self]);
    }

    // Shared with the user: a new version of the other owner's account without them; the ref goes with the partition.
    await forEachLimited(shared, PARALLEL, (accountId) => accounts.unshare(accountId, userId));
    for (const accountId of shared) groups.push([table.tx.delete(keys.shareRef(userId, accountId))]);

    // Owned: each account with its refs in a transaction of its own (its share refs may fill one).
    const found = new Map((await table.getMany(owned.map((id) => keys.account(id)))).map((item) => [String(item.id), read.account(item)]));
    await forEachLimited(owned, PARALLEL, async (accountId) => {
      const account = found.get(accountId);
      if (account && account.userId === userId) await accounts.removeAccount(account);
      else await table.delete(keys.accountRef(userId, accountId));
    });

    // A transaction that lost a race changes nothing; the next pass reads again.
    await forEachLimited(pack(groups), PARALLEL, (actions) => table.transact(actions));
  }

  return {
    async deleteUser(userId) {
      const id = directoryInput.userId('deleteUser', userId);
      const marked = await table.update(keys.user(id), { expression: 'SET #deleting = :true', names: DELETING, values: { ':true': true } }, conditions.present);
      if (!marked) return false;
      const user = read.user(marked);
      await table.delete(keys.name(user.name), unlessOther('id', id));

      for (let pass = 0; ; pass++) {
        const partition = (await table.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.userPartition(id) } })).filter(
          (item) => item.sk !== USER_SK,
        );
        if (partition.length === 0) break;
        if (pass >= MAX_PASSES) {
          throw new SagaSyncError('version_conflict', `deleteUser: user ${id} kept changing while being deleted; call deleteUser again to finish`, { details: { operation: 'deleteUser' } });
        }
        await removePartition(id, partition);
      }

      await table.delete(keys.user(id), { expression: 'attribute_exists(#deleting)', names: DELETING });
      return true;
    },
  };
}
