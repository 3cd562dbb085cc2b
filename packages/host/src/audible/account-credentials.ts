import { AudibleCredentialsSchema, type AudibleCredentials } from '@sagasync/audible-client';
import { SagaSyncError, type AudibleAccount, type DirectoryPort } from '@sagasync/core';
import type { CredentialSealer } from '@sagasync/storage';

/** The name an account's credentials are sealed under: bound into the blob, so it opens only as that account's. */
export const accountSecretName = (accountId: string) => `audible-account:${accountId}`;

export async function sealCredentials(sealer: CredentialSealer, accountId: string, credentials: AudibleCredentials): Promise<string> {
  return sealer.seal(accountSecretName(accountId), credentials);
}

/**
 * The account's credentials, opened with the server's key. A blob that does not open (another
 * key) or no longer fits the schema means the account must be signed in again: `config_missing`
 * with reason `audible_signed_out`, never the blob or the key in the message.
 */
export async function openCredentials(sealer: CredentialSealer, account: AudibleAccount): Promise<AudibleCredentials> {
  let value: unknown;
  try {
    value = await sealer.open(accountSecretName(account.id), account.ciphertext);
  } catch (error) {
    throw new SagaSyncError('config_missing', `the stored credentials of Audible account ${account.id} do not open with this server's SAGASYNC_SECRET; sign in again (POST /api/audible/auth)`, {
      cause: error,
      details: { reason: 'audible_signed_out' },
    });
  }
  const parsed = AudibleCredentialsSchema.safeParse(value);
  if (!parsed.success) {
    throw new SagaSyncError('config_missing', `the stored credentials of Audible account ${account.id} are unreadable; sign in again (POST /api/audible/auth)`, {
      details: { reason: 'audible_signed_out' },
    });
  }
  return parsed.data;
}

/**
 * Stores credentials a token refresh changed, sealed again, on the version read: when another
 * instance refreshed the same account meanwhile, its tokens are as good, and they stay.
 */
export async function saveRefreshedCredentials(
  directory: DirectoryPort,
  sealer: CredentialSealer,
  account: AudibleAccount,
  credentials: AudibleCredentials,
  now: Date,
): Promise<AudibleAccount | null> {
  const ciphertext = await sealCredentials(sealer, account.id, credentials);
  try {
    return await directory.putAudibleAccount({ ...account, ciphertext, updatedAt: now.toISOString() }, account.version);
  } catch (error) {
    if (SagaSyncError.isInstance(error) && error.code === 'version_conflict') return null;
    throw error;
  }
}
