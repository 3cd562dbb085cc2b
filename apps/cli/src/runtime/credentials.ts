import type { AudibleAccounts, SecretStore } from '@sagasync/audible-client';
import { SagaSyncError } from '@sagasync/core';
import type { CredentialKey, CredentialVault, CredentialVaultOptions } from '@sagasync/storage';
import type { CommandContext } from './context.js';
import { CliError, type CliEnv } from './env.js';

/**
 * A credential the store keeps beside the others: a known value encrypted with the store's key,
 * written with the first credential. A key that cannot decrypt it is not the store's, and is
 * refused before anything is written with it (credentials saved under two keys could never all be
 * read again). Removed with the last credential, so a new key can be chosen then.
 */
export const KEY_CHECK_NAME = 'sagasync:key-check';
const KEY_CHECK_VALUE = 'SagaSync credential key check v1';

/**
 * Asks the person through the command's IO. Node's readline leaves a piped standard input
 * referenced after its interface closes, so a pipe that stays open (a wrapper script, an editor's
 * terminal) would keep the process alive after the command is done: it is let go after each
 * answer, and taken back for the next question.
 */
export async function ask(ctx: CommandContext, question: string, options?: { hidden?: boolean }): Promise<string | null> {
  const ownTerminal = ctx.io.stdout === process.stdout;
  const stdin = ownTerminal ? (process.stdin as { ref?: () => void; unref?: () => void }) : null;
  stdin?.ref?.();
  try {
    return await ctx.io.prompt(question, options);
  } finally {
    stdin?.unref?.();
  }
}

/** SAGASYNC_PASSPHRASE when the environment schema knows it (see env.ts). */
function passphraseFromEnv(env: CliEnv): string | undefined {
  const value = (env as CliEnv & { SAGASYNC_PASSPHRASE?: unknown }).SAGASYNC_PASSPHRASE;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const NO_KEY_HINT = 'set SAGASYNC_SECRET (32 random bytes, e.g. `openssl rand -base64 32`) or run on a terminal to type a passphrase';

/**
 * The key that encrypts credentials at rest: SAGASYNC_SECRET when set, else SAGASYNC_PASSPHRASE,
 * else a passphrase asked on the terminal; a new one (`confirm`: the store holds no credential
 * yet) is asked twice and must be typed the same both times. Never stored, never logged.
 */
export async function credentialKey(ctx: CommandContext, options: { confirm?: boolean } = {}): Promise<CredentialKey> {
  if (ctx.env.SAGASYNC_SECRET) return { secret: ctx.env.SAGASYNC_SECRET };
  const fromEnv = passphraseFromEnv(ctx.env);
  if (fromEnv) return { passphrase: fromEnv };
  const passphrase = await ask(ctx, options.confirm ? 'Choose a passphrase for your stored credentials: ' : 'Passphrase for your stored credentials: ', { hidden: true });
  if (!passphrase) throw new CliError('credentials are encrypted and no key was given', { hint: NO_KEY_HINT });
  if (options.confirm) {
    const again = await ask(ctx, 'Type the same passphrase again: ', { hidden: true });
    if (again !== passphrase) {
      throw new CliError(again ? 'the two passphrases differ; nothing was stored' : 'the passphrase was not confirmed; nothing was stored', {
        hint: 'run the command again and type the same passphrase twice',
      });
    }
  }
  return { passphrase };
}

type CreateVault = (options: CredentialVaultOptions) => CredentialVault;

/** The refusal of a key that does not decrypt what the store holds. */
function wrongKey(ctx: CommandContext, key: CredentialKey, cause: unknown): CliError {
  const given = 'secret' in key ? 'SAGASYNC_SECRET' : passphraseFromEnv(ctx.env) ? 'SAGASYNC_PASSPHRASE' : 'this passphrase';
  const detail = SagaSyncError.isInstance(cause) && /saved with a (passphrase|secret key)/.test(cause.message) ? ` (${cause.message.replace(/^cannot decrypt credential "[^"]*": /, '')})` : '';
  return new CliError(`${given} is not the key the credentials in ${ctx.storePath} were saved with${detail}; nothing was read or written`, {
    cause,
    hint: 'use the passphrase or SAGASYNC_SECRET you used when you first signed in; credentials saved with two different keys could not all be read again',
  });
}

/**
 * The store's credentials behind one key. The key is asked for only when a secret is read or
 * written (listing names needs none), then checked against what the store holds: its key check,
 * else a stored credential (stores from before the check), and refused if it does not decrypt.
 */
export function credentialStore(ctx: CommandContext, createVault: CreateVault): SecretStore & { unlock(): Promise<void> } {
  const { storage, ownerId } = ctx.deps();
  const names = async () => (await storage.listCredentialNames(ownerId)).items;
  let unlocking: Promise<CredentialVault> | null = null;
  let checkWritten = false;

  async function unlock(): Promise<CredentialVault> {
    const existing = await names();
    const key = await credentialKey(ctx, { confirm: existing.length === 0 });
    const vault = createVault({ storage, ownerId, key });
    if (existing.length > 0) {
      const probe = existing.includes(KEY_CHECK_NAME) ? KEY_CHECK_NAME : existing[0]!;
      let value: unknown;
      try {
        value = await vault.get(probe);
      } catch (error) {
        if (SagaSyncError.isInstance(error) && error.code === 'auth_failed') throw wrongKey(ctx, key, error);
        throw error;
      }
      if (probe === KEY_CHECK_NAME && value !== KEY_CHECK_VALUE) throw wrongKey(ctx, key, null);
      checkWritten = probe === KEY_CHECK_NAME;
    }
    return vault;
  }
  const unlocked = () => (unlocking ??= unlock());

  return {
    unlock: async () => void (await unlocked()),
    get: async (name) => (await unlocked()).get(name),
    async put(name, secret) {
      const vault = await unlocked();
      if (!checkWritten) {
        await vault.put(KEY_CHECK_NAME, KEY_CHECK_VALUE);
        checkWritten = true;
      }
      await vault.put(name, secret);
    },
    async delete(name) {
      // Deleting needs no key; with the last credential the key check goes too.
      const remaining = (await names()).filter((n) => n !== name && n !== KEY_CHECK_NAME);
      await storage.applyBatch(ownerId, [
        { op: 'deleteCredential', name },
        ...(remaining.length === 0 ? [{ op: 'deleteCredential' as const, name: KEY_CHECK_NAME }] : []),
      ]);
      if (remaining.length === 0) checkWritten = false;
    },
    list: async () => (await names()).filter((n) => n !== KEY_CHECK_NAME),
  };
}

/**
 * The Audible accounts in the store. `unlockNow`: ask for (and check) the key before anything
 * else, as a sign-in must: a device registered at Amazon whose credentials then could not be
 * stored would be left in the account's device list.
 */
export async function audibleAccounts(ctx: CommandContext, options: { unlockNow?: boolean } = {}): Promise<AudibleAccounts> {
  const [{ createAudibleAccounts }, { createCredentialVault }] = await Promise.all([import('@sagasync/audible-client'), import('@sagasync/storage')]);
  const store = credentialStore(ctx, createCredentialVault);
  if (options.unlockNow) await store.unlock();
  return createAudibleAccounts(store);
}
