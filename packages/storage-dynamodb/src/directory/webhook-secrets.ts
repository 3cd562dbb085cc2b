import type { DirectoryPort } from '@sagasync/core';
import { directoryErrors, directoryInput } from '@sagasync/storage';
import type { DirectoryContext } from './context.js';
import { conditions } from './directory-table.js';
import { keys } from './keys.js';

type SecretMethods = Pick<DirectoryPort, 'setWebhookSecret' | 'getWebhookSecret'>;

const SECRET = { '#secret': 'webhookSecret' };

/**
 * The webhook secret is an attribute of the user item: setting it is one UpdateItem conditioned on
 * the user being there and not being deleted, and it goes with the user item.
 */
export function webhookSecretMethods({ table }: DirectoryContext): SecretMethods {
  return {
    async setWebhookSecret(userId, ciphertext) {
      const id = directoryInput.userId('setWebhookSecret', userId);
      const secret = directoryInput.ciphertextOrNull('setWebhookSecret', ciphertext);
      const update =
        secret === null ? { expression: 'REMOVE #secret', names: SECRET } : { expression: 'SET #secret = :secret', names: SECRET, values: { ':secret': secret } };
      if (!(await table.update(keys.user(id), update, conditions.userLive))) throw directoryErrors.userNotFound(id, 'userId');
    },

    async getWebhookSecret(userId) {
      const item = await table.get(keys.user(directoryInput.userId('getWebhookSecret', userId)), ['webhookSecret', 'deleting']);
      return item && item.deleting === undefined && typeof item.webhookSecret === 'string' ? item.webhookSecret : null;
    },
  };
}
