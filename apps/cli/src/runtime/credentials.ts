import type { AudibleAccounts } from '@sagasync/audible-client';
import type { CredentialKey } from '@sagasync/storage';
import type { CommandContext } from './context.js';
import { CliError } from './env.js';

/**
 * The key that encrypts credentials at rest: SAGASYNC_SECRET when set, else a passphrase asked
 * on the terminal. Never stored, never logged.
 */
export async function credentialKey(ctx: CommandContext): Promise<CredentialKey> {
  if (ctx.env.SAGASYNC_SECRET) return { secret: ctx.env.SAGASYNC_SECRET };
  const passphrase = await ctx.io.prompt('Passphrase for your stored credentials: ', { hidden: true });
  if (!passphrase) {
    throw new CliError('credentials are encrypted and no key was given', {
      hint: 'set SAGASYNC_SECRET (32 random bytes, e.g. `openssl rand -base64 32`) or run on a terminal to type a passphrase',
    });
  }
  return { passphrase };
}

export async function audibleAccounts(ctx: CommandContext): Promise<AudibleAccounts> {
  const [{ createAudibleAccounts }, { createCredentialVault }] = await Promise.all([import('@sagasync/audible-client'), import('@sagasync/storage')]);
  const { storage, ownerId } = ctx.deps();
  return createAudibleAccounts(createCredentialVault({ storage, ownerId, key: await credentialKey(ctx) }));
}
