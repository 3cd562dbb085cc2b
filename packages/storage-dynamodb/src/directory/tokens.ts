import type { ApiToken, DirectoryPort } from '@sagasync/core';
import { compareText, directoryErrors, directoryInput } from '@sagasync/storage';
import { AGAIN, untilSettled } from './contention.js';
import type { DirectoryContext } from './context.js';
import { conditions, type Condition, type TransactItem } from './directory-table.js';
import { items } from './items.js';
import { keys, REF, refId } from './keys.js';

type TokenMethods = Pick<DirectoryPort, 'putApiToken' | 'findUserByTokenHash' | 'listApiTokens' | 'deleteApiToken' | 'touchApiToken'>;

/** The token as it was read: still this user's, still with this hash. */
const unchangedToken = (token: ApiToken): Condition => ({
  expression: '#userId = :userId AND #hash = :hash',
  names: { '#userId': 'userId', '#hash': 'hash' },
  values: { ':userId': token.userId, ':hash': token.hash },
});

/**
 * API tokens: the token at `D#TOKEN#<id>` (its id's claim), the hash's claim at `D#HASH#<hash>`
 * pointing back at it, and a ref in the user's partition. All three change in one transaction.
 */
export function tokenMethods({ table, read, liveUser }: DirectoryContext): TokenMethods {
  /** The delete actions of a token and everything that points at it. */
  function removal(token: ApiToken): TransactItem[] {
    return [table.tx.delete(keys.token(token.id), unchangedToken(token)), table.tx.delete(keys.hash(token.hash)), table.tx.delete(keys.tokenRef(token.userId, token.id))];
  }

  return {
    async putApiToken(input) {
      const token = directoryInput.apiToken(input);
      return untilSettled('putApiToken', async () => {
        const [user, existingItem, holder] = await Promise.all([liveUser(token.userId), table.get(keys.token(token.id)), table.get(keys.hash(token.hash))]);
        if (!user) throw directoryErrors.userNotFound(token.userId, 'token.userId');
        const existing = existingItem ? read.token(existingItem) : null;
        if (existing && existing.userId !== token.userId) throw directoryErrors.idOfAnotherUser('api token', token.id, 'token.id');
        if (holder && read.hashClaim(holder).tokenId !== token.id) throw directoryErrors.tokenHashTaken();

        // The conditions restate what was read; a writer that got in between makes the next attempt decide again.
        const actions = [
          table.tx.check(keys.user(token.userId), conditions.userLive),
          table.tx.put(items.token(token), existing ? unchangedToken(existing) : conditions.absent),
          table.tx.put(items.tokenRef(token)),
        ];
        if (existing?.hash !== token.hash) {
          const ours = { expression: 'attribute_not_exists(pk) OR #tokenId = :tokenId', names: { '#tokenId': 'tokenId' }, values: { ':tokenId': token.id } };
          actions.push(table.tx.put(items.hashClaim(token), ours));
          // A rotation frees the old hash in the same step.
          if (existing) actions.push(table.tx.delete(keys.hash(existing.hash)));
        }
        const outcome = await table.transact(actions);
        if (outcome.ok) return token;
        if (outcome.failed[0]) throw directoryErrors.userNotFound(token.userId, 'token.userId');
        return AGAIN;
      });
    },

    async findUserByTokenHash(hash) {
      const wanted = directoryInput.tokenHash('findUserByTokenHash', hash);
      // Two key reads: the claim names the token and its user; both are then read at once.
      const claim = await table.get(keys.hash(wanted));
      if (!claim) return null;
      const { tokenId, userId } = read.hashClaim(claim);
      // The webhook secret is an attribute of the user item (webhook-secrets.ts).
      const [tokenItem, userItem] = await Promise.all([table.get(keys.token(tokenId)), liveUser(userId, ['webhookSecret'])]);
      // Between the reads the token may have been rotated or deleted: then the hash finds nothing.
      if (!tokenItem || !userItem || tokenItem.hash !== wanted) return null;
      const webhookSecret = typeof userItem.webhookSecret === 'string' ? userItem.webhookSecret : null;
      return { user: read.user(userItem), token: read.token(tokenItem), webhookSecret };
    },

    async listApiTokens(userId) {
      const id = directoryInput.userId('listApiTokens', userId);
      const refs = await table.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.userPartition(id), ':prefix': REF.token },
      });
      const tokens = (await table.getMany(refs.map((ref) => keys.token(refId(String(ref.sk), REF.token))))).map(read.token).filter((token) => token.userId === id);
      return tokens.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || compareText(a.id, b.id));
    },

    async deleteApiToken(userId, tokenId) {
      const owner = directoryInput.userId('deleteApiToken', userId);
      const id = directoryInput.id('deleteApiToken', tokenId, 'tokenId');
      return untilSettled('deleteApiToken', async () => {
        const item = await table.get(keys.token(id));
        const token = item ? read.token(item) : null;
        if (!token || token.userId !== owner) return false;
        return (await table.transact(removal(token))).ok || AGAIN;
      });
    },

    async touchApiToken(tokenId, at) {
      const id = directoryInput.id('touchApiToken', tokenId, 'tokenId');
      const ms = directoryInput.instant('touchApiToken', at, 'at');
      // Only forwards: of two requests finishing out of order, the later use stays.
      const touched = await table.update(
        keys.token(id),
        { expression: 'SET #lastUsedAt = :at, #lastUsedMs = :ms', names: { '#lastUsedAt': 'lastUsedAt', '#lastUsedMs': 'lastUsedMs' }, values: { ':at': new Date(ms).toISOString(), ':ms': ms } },
        { expression: 'attribute_exists(pk) AND (attribute_not_exists(#lastUsedMs) OR #lastUsedMs < :ms)' },
      );
      if (touched) return true;
      // Refused: either there is no such token, or it was used later already (then it still exists).
      return (await table.get(keys.token(id), ['pk'])) !== null;
    },
  };
}
