import type { DirectoryPort, User } from '@sagasync/core';
import { directoryErrors, directoryInput, pageFrom } from '@sagasync/storage';
import { AGAIN, untilSettled } from './contention.js';
import type { DirectoryContext } from './context.js';
import { conditions } from './directory-table.js';
import { items } from './items.js';
import { INDEX_NAME, keys, USERS_BY_NAME } from './keys.js';

type UserMethods = Pick<DirectoryPort, 'createUser' | 'getUser' | 'getUserByName' | 'listUsers'>;

/** Users: the user item in the user's partition, and the name's claim, which is also the by-name index entry. */
export function userMethods({ table, read, liveUser }: DirectoryContext): UserMethods {
  return {
    async createUser(input) {
      const user = directoryInput.user(input);
      // Both claims in one transaction: of N creates of one id or name exactly one commits.
      return untilSettled('createUser', async () => {
        const outcome = await table.transact([table.tx.put(items.user(user), conditions.absent), table.tx.put(items.nameClaim(user), conditions.absent)]);
        if (outcome.ok) return user;
        if (outcome.failed[0]) throw directoryErrors.userIdTaken(user.id);
        if (outcome.failed[1]) throw directoryErrors.userNameTaken(user.name);
        return AGAIN;
      });
    },

    async getUser(userId) {
      const item = await liveUser(directoryInput.userId('getUser', userId));
      return item ? read.user(item) : null;
    },

    async getUserByName(name) {
      const item = await table.get(keys.name(directoryInput.userName('getUserByName', name)));
      return item ? read.user(item) : null;
    },

    async listUsers(request) {
      const { limit, after } = directoryInput.page(request, ['string']);
      // The name claims, in name order (names are ASCII, so DynamoDB's byte order is code-unit order).
      const found: User[] = [];
      const pages = table.queryPages({
        IndexName: INDEX_NAME,
        KeyConditionExpression: after ? 'gsi1pk = :pk AND gsi1sk > :after' : 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': USERS_BY_NAME, ...(after ? { ':after': String(after[0]) } : {}) },
        // One past the limit says whether another page follows; a huge limit is read in pages of 1,000.
        ...(limit === undefined ? {} : { Limit: Math.min(limit + 1, 1000) }),
      });
      for await (const page of pages) {
        found.push(...page.map(read.user));
        if (limit !== undefined && found.length > limit) break;
      }
      return pageFrom(limit === undefined ? found : found.slice(0, limit + 1), limit, (user) => [user.name]);
    },
  };
}
