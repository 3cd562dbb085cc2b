import type { DirectoryPort } from '@sagasync/core';
import { directoryErrors, directoryInput } from '@sagasync/storage';
import { AGAIN, untilSettled } from './contention.js';
import type { DirectoryContext } from './context.js';
import { conditions, type Condition } from './directory-table.js';
import { items } from './items.js';
import { INDEX_NAME, keys, SIGN_INS_BY_EXPIRY, timeKeyAfter } from './keys.js';

type SignInMethods = Pick<DirectoryPort, 'putPendingSignIn' | 'takePendingSignIn' | 'deleteExpiredSignIns'>;

/** Expired sign-ins deleted at once by `deleteExpiredSignIns` (one index page). */
const PURGE_PAGE = 50;

/**
 * Pending sign-ins: the sign-in at `D#SIGNIN#<id>` (its id's claim) and a ref in the user's
 * partition, both with DynamoDB's time to live (`ttl`, epoch seconds of `expiresAt`), so DynamoDB
 * removes abandoned ones too. The sign-in is also in the expiry index, which
 * `deleteExpiredSignIns` reads instead of scanning.
 */
export function signInMethods({ table, read }: DirectoryContext): SignInMethods {
  /** Deletes the sign-in if it is there (and `condition` holds) and answers it: of concurrent takers exactly one gets it. */
  async function take(id: string, condition: Condition) {
    const taken = await table.delete(keys.signIn(id), condition);
    if (!taken) return null;
    const signIn = read.signIn(taken);
    // The ref only lets deleteUser find the sign-in; one left behind by a crash points at nothing and expires.
    await table.delete(keys.signInRef(signIn.userId, signIn.id));
    return signIn;
  }

  return {
    async putPendingSignIn(input) {
      const signIn = directoryInput.pendingSignIn(input);
      await untilSettled('putPendingSignIn', async () => {
        const outcome = await table.transact([
          table.tx.check(keys.user(signIn.userId), conditions.userLive),
          table.tx.put(items.signIn(signIn), conditions.absent),
          table.tx.put(items.signInRef(signIn)),
        ]);
        if (outcome.ok) return undefined;
        if (outcome.failed[0]) throw directoryErrors.userNotFound(signIn.userId, 'signIn.userId');
        if (outcome.failed[1]) throw directoryErrors.idTaken('pending sign-in', signIn.id, 'signIn.id');
        return AGAIN;
      });
    },

    async takePendingSignIn(id, now) {
      const key = directoryInput.id('takePendingSignIn', id, 'id');
      const nowMs = directoryInput.instant('takePendingSignIn', now);
      // DeleteItem returning the old item: one atomic step, whatever the expiry; an expired one is deleted and not answered.
      const signIn = await take(key, conditions.present);
      return signIn && Date.parse(signIn.expiresAt) > nowMs ? signIn : null;
    },

    async deleteExpiredSignIns(now) {
      const nowMs = directoryInput.instant('deleteExpiredSignIns', now);
      let deleted = 0;
      // The expiry index in time order, up to now; each one is deleted only if it is still there and
      // still expired, so one taken meanwhile (or deleted by another purge) is not counted.
      const pages = table.queryPages({
        IndexName: INDEX_NAME,
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk < :end',
        ExpressionAttributeValues: { ':pk': SIGN_INS_BY_EXPIRY, ':end': timeKeyAfter(nowMs) },
        Limit: PURGE_PAGE,
      });
      for await (const page of pages) {
        const expired: Condition = { expression: 'attribute_exists(pk) AND #expiresMs <= :now', names: { '#expiresMs': 'expiresMs' }, values: { ':now': nowMs } };
        const taken = await Promise.all(page.map((entry) => take(String(entry.id), expired)));
        deleted += taken.filter((signIn) => signIn !== null).length;
      }
      return deleted;
    },
  };
}
