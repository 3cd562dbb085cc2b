import { randomUUID } from 'node:crypto';
import { readAll, SagaSyncError, UserNameInputSchema, type DirectoryPort, type User } from '@sagasync/core';
import type { CredentialSealer } from '@sagasync/storage';
import { webhookSecretName } from '../webhooks/webhook-signature.js';
import { hashApiToken, newApiToken, newWebhookSecret } from '../auth/tokens.js';

/** What `user add` and `token rotate` print once; only hashes and sealed secrets are stored. */
export interface NewCredentials {
  user: User;
  token: string;
  webhookSecret: string;
}

function parseName(name: string): string {
  const parsed = UserNameInputSchema.safeParse(name);
  if (!parsed.success) throw new SagaSyncError('invalid_input', `user name "${name}": ${parsed.error.issues[0]?.message ?? 'invalid'}`, { details: { location: 'name' } });
  return parsed.data;
}

async function userNamed(directory: DirectoryPort, name: string): Promise<User> {
  const user = await directory.getUserByName(parseName(name));
  if (!user) throw new SagaSyncError('not_found', `no user named "${name}"`, { details: { location: 'name' } });
  return user;
}

/** Users, tokens and webhook secrets, as the `sagasync-server user` commands manage them. */
export function userAdmin(directory: DirectoryPort, sealer: CredentialSealer, clock: () => Date = () => new Date()) {
  async function issueToken(user: User, label: string): Promise<string> {
    const token = newApiToken();
    await directory.putApiToken({ id: randomUUID(), userId: user.id, hash: hashApiToken(token), label, createdAt: clock().toISOString(), lastUsedAt: null, expiresAt: null });
    return token;
  }
  async function issueWebhookSecret(user: User): Promise<string> {
    const secret = newWebhookSecret();
    await directory.setWebhookSecret(user.id, await sealer.seal(webhookSecretName(user.id), secret));
    return secret;
  }

  return {
    /** A new user with one API token and a webhook signing secret. */
    async add(name: string): Promise<NewCredentials> {
      const user = await directory.createUser({ id: randomUUID(), name: parseName(name), createdAt: clock().toISOString() });
      return { user, token: await issueToken(user, 'default'), webhookSecret: await issueWebhookSecret(user) };
    },

    async list(): Promise<{ user: User; tokens: number; lastUsedAt: string | null }[]> {
      const users = await readAll((cursor) => directory.listUsers({ cursor }));
      const out = [];
      for (const user of users) {
        const tokens = await directory.listApiTokens(user.id);
        const used = tokens.map((t) => t.lastUsedAt).filter((at): at is string => at !== null).sort();
        out.push({ user, tokens: tokens.length, lastUsedAt: used.at(-1) ?? null });
      }
      return out;
    },

    /** Removes the user and their tokens, secret, accounts and schedule (their library records stay, under their id). */
    async remove(name: string): Promise<User> {
      const user = await userNamed(directory, name);
      await directory.deleteUser(user.id);
      return user;
    },

    /** A new token for the user; every older one stops working. */
    async rotateToken(name: string): Promise<{ user: User; token: string }> {
      const user = await userNamed(directory, name);
      const old = await directory.listApiTokens(user.id);
      const token = await issueToken(user, 'default');
      for (const t of old) await directory.deleteApiToken(user.id, t.id);
      return { user, token };
    },

    /** A new webhook signing secret; the old one stops working. */
    async rotateWebhookSecret(name: string): Promise<{ user: User; webhookSecret: string }> {
      const user = await userNamed(directory, name);
      return { user, webhookSecret: await issueWebhookSecret(user) };
    },
  };
}
