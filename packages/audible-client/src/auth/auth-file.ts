import { SagaSyncError } from '@sagasync/core';
import * as z from 'zod';
import { LOCALE_CODES, type LocaleCode } from '../marketplaces.js';
import { decryptAesCipher, decryptAesCipherBytes } from './aes-cipher.js';
import { AudibleCredentialsSchema, type AudibleCredentials } from './credentials.js';

/** audible-cli / mkb79 `Authenticator.to_dict()` (also what Libation exports for audible-cli). */
const AudibleCliAuthSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  adp_token: z.string().min(1).nullish(),
  device_private_key: z.string().min(1).nullish(),
  expires: z.number().nullish(),
  locale_code: z.string().nullish(),
  with_username: z.boolean().nullish(),
  device_info: z.object({ device_serial_number: z.string().optional(), device_type: z.string().optional(), device_name: z.string().optional() }).partial().nullish(),
  customer_info: z.object({ user_id: z.string().optional(), name: z.string().optional() }).partial().nullish(),
  website_cookies: z.record(z.string(), z.string()).nullish(),
  store_authentication_cookie: z.object({ cookie: z.string() }).nullish(),
});

const EncryptedJsonSchema = z.object({ salt: z.string(), iv: z.string(), ciphertext: z.string() });

/**
 * A secret of Libation's identity (AudibleApi `Identity.IdentityJsonConverter`): `{"Value": "..."}`
 * when stored in plaintext, `{"Value": "<ciphertext>", "IsEncrypted": true}` when encrypted.
 * Encrypted values are refused before this schema is applied (see `encryptedSecretsIn`).
 */
const LibationSecretSchema = z.object({ Value: z.string().min(1), IsEncrypted: z.literal(false).nullish() });
/** The store cookie and cookie values may also be a bare string (older files) or null. */
const LibationStringSecretSchema = z.union([z.string(), LibationSecretSchema]).nullish();

/** Libation's `AccountsSettings.json` (`Accounts[].IdentityTokens` is AudibleApi's `Identity`). */
const LibationAccountsSchema = z.object({
  Accounts: z.array(
    z.object({
      AccountId: z.string().optional(),
      AccountName: z.string().nullish(),
      IdentityTokens: z
        .object({
          LocaleName: z.string(),
          ExistingAccessToken: z.object({ TokenValue: z.string().min(1), Expires: z.string(), IsEncrypted: z.literal(false).nullish() }),
          RefreshToken: LibationSecretSchema,
          AdpToken: LibationSecretSchema.nullish(),
          PrivateKey: LibationSecretSchema.nullish(),
          Cookies: z.array(z.object({ Key: z.string(), Value: LibationStringSecretSchema })).nullish(),
          DeviceSerialNumber: z.string().nullish(),
          DeviceType: z.string().nullish(),
          DeviceName: z.string().nullish(),
          AmazonAccountId: z.string().nullish(),
          StoreAuthenticationCookie: LibationStringSecretSchema,
        })
        .nullish(),
    }),
  ),
});

/** Where a Libation identity holds a secret marked `"IsEncrypted": true` (field names only). */
function encryptedSecretsIn(identity: unknown): string[] {
  const found: string[] = [];
  const visit = (value: unknown, path: string) => {
    if (Array.isArray(value)) {
      value.forEach((element, i) => visit(element, `${path}[${i}]`));
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    if (record.IsEncrypted === true) found.push(path);
    for (const [key, child] of Object.entries(record)) if (key !== 'IsEncrypted') visit(child, path ? `${path}.${key}` : key);
  };
  visit(identity, '');
  return found;
}

/** The refusal for an account whose secrets Libation encrypted: only Libation can read them. */
function libationEncrypted(fileName: string | undefined, account: string, fields: string[]): SagaSyncError {
  return new SagaSyncError(
    'invalid_input',
    `${fileName ? `${fileName}: ` : ''}Libation stored the tokens of ${account} encrypted (${fields.slice(0, 3).join(', ')}${fields.length > 3 ? ', ...' : ''} marked "IsEncrypted"), ` +
      'which only Libation can decrypt; nothing was imported',
    {
      details: {
        location: fileName ?? 'AccountsSettings.json',
        reason: 'libation_tokens_encrypted',
        hint:
          'in Libation, open Settings > Important, untick "Store authentication tokens encrypted" (TokenStorageMethod: Plaintext), ' +
          'save and let it update the existing stored tokens, then import AccountsSettings.json again; ' +
          "or export the account from Libation's account settings as an audible-cli file and import that",
      },
    },
  );
}

/** Libation's locale names (AudibleApi `Localization.cs`) to country codes. */
const LIBATION_LOCALES: Record<string, { locale: LocaleCode; withUsername: boolean }> = {
  us: { locale: 'us', withUsername: false },
  uk: { locale: 'uk', withUsername: false },
  australia: { locale: 'au', withUsername: false },
  brazil: { locale: 'br', withUsername: false },
  canada: { locale: 'ca', withUsername: false },
  france: { locale: 'fr', withUsername: false },
  germany: { locale: 'de', withUsername: false },
  india: { locale: 'in', withUsername: false },
  italy: { locale: 'it', withUsername: false },
  japan: { locale: 'jp', withUsername: false },
  spain: { locale: 'es', withUsername: false },
  'pre-amazon - us': { locale: 'us', withUsername: true },
  'pre-amazon - uk': { locale: 'uk', withUsername: true },
  'pre-amazon - germany': { locale: 'de', withUsername: true },
};

export interface ImportAuthFileOptions {
  /** For audible-cli's password-encrypted files. */
  password?: string;
  /** Named in error messages. */
  fileName?: string;
  /** Locale when the file does not say (older audible-cli files). */
  defaultLocale?: LocaleCode;
}

function invalid(fileName: string | undefined, message: string, hint?: string): SagaSyncError {
  return new SagaSyncError('invalid_input', `${fileName ? `${fileName}: ` : ''}${message}`, { details: { location: fileName ?? 'auth file', ...(hint ? { hint } : {}) } });
}

function decryptWith(password: string | undefined, fileName: string | undefined, run: (password: string) => string): string {
  if (!password) throw invalid(fileName, 'this audible-cli auth file is encrypted; give its password', 'pass --password or set it when prompted');
  try {
    return run(password);
  } catch (error) {
    throw new SagaSyncError('invalid_input', `${fileName ? `${fileName}: ` : ''}could not decrypt the auth file: wrong password?`, {
      cause: error,
      details: { location: fileName ?? 'auth file' },
    });
  }
}

/**
 * Reads an existing sign-in so the user need not sign in again: an audible-cli auth file (plain,
 * or password-encrypted in its JSON or bytes form) or Libation's `AccountsSettings.json`. Returns
 * one credential set per account in the file. Nothing of the file's content appears in errors.
 */
export function importAuthFile(content: string | Uint8Array, options: ImportAuthFileOptions = {}): AudibleCredentials[] {
  const { fileName } = options;
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    // Not JSON: audible-cli's `bytes` encryption (salt + iv + ciphertext).
    if (bytes.length < 48) throw invalid(fileName, 'not an audible-cli or Libation auth file');
    json = JSON.parse(decryptWith(options.password, fileName, (password) => decryptAesCipherBytes(password, bytes)));
  }
  const encrypted = EncryptedJsonSchema.safeParse(json);
  if (encrypted.success) {
    const { salt, iv, ciphertext } = encrypted.data;
    json = JSON.parse(
      decryptWith(options.password, fileName, (password) =>
        decryptAesCipher(password, Buffer.from(salt, 'base64'), Buffer.from(iv, 'base64'), Buffer.from(ciphertext, 'base64')),
      ),
    );
  }

  const cli = AudibleCliAuthSchema.safeParse(json);
  if (cli.success) return [fromAudibleCli(cli.data, options)];
  refuseEncryptedLibation(json, fileName);
  const libation = LibationAccountsSchema.safeParse(json);
  if (libation.success) return fromLibation(libation.data, fileName);
  throw invalid(fileName, 'not an audible-cli or Libation auth file (no access_token / refresh_token, no Accounts)');
}

function fromAudibleCli(auth: z.infer<typeof AudibleCliAuthSchema>, options: ImportAuthFileOptions): AudibleCredentials {
  const locale = auth.locale_code ?? options.defaultLocale;
  if (!locale || !(LOCALE_CODES as readonly string[]).includes(locale)) {
    throw invalid(options.fileName, `unknown marketplace ${JSON.stringify(locale ?? null)} in locale_code`, `one of ${LOCALE_CODES.join(', ')}`);
  }
  return AudibleCredentialsSchema.parse({
    locale,
    withUsername: auth.with_username ?? false,
    accessToken: auth.access_token,
    refreshToken: auth.refresh_token,
    // `expires` is a Unix timestamp in seconds; unknown means "refresh before use".
    expiresAt: auth.expires ? Math.round(auth.expires * 1000) : 0,
    adpToken: auth.adp_token ?? null,
    devicePrivateKey: auth.device_private_key ?? null,
    deviceSerial: auth.device_info?.device_serial_number ?? null,
    deviceType: auth.device_info?.device_type ?? null,
    deviceName: auth.device_info?.device_name ?? null,
    customerId: auth.customer_info?.user_id ?? null,
    customerName: auth.customer_info?.name ?? null,
    websiteCookies: auth.website_cookies ?? {},
    storeAuthenticationCookie: auth.store_authentication_cookie?.cookie ?? null,
  });
}

/**
 * Libation writes every secret encrypted by default (TokenStorageMethod `Encrypted`): the access,
 * refresh and ADP tokens, the device key, each cookie and the store cookie become
 * `{"Value": "<ciphertext>", "IsEncrypted": true}`. Importing those would store ciphertext as
 * tokens, so a file with any encrypted secret is refused before anything is read from it.
 */
function refuseEncryptedLibation(json: unknown, fileName: string | undefined): void {
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { Accounts?: unknown }).Accounts)) return;
  for (const [i, account] of ((json as { Accounts: unknown[] }).Accounts).entries()) {
    if (typeof account !== 'object' || account === null) continue;
    const fields = encryptedSecretsIn((account as { IdentityTokens?: unknown }).IdentityTokens);
    if (fields.length === 0) continue;
    const name = (account as { AccountName?: unknown; AccountId?: unknown }).AccountName ?? (account as { AccountId?: unknown }).AccountId;
    throw libationEncrypted(fileName, typeof name === 'string' && name ? `account "${name}"` : `account ${i + 1}`, fields);
  }
}

const secretText = (secret: string | { Value: string } | null | undefined): string | null => (secret === null || secret === undefined ? null : typeof secret === 'string' ? secret : secret.Value);

function fromLibation(file: z.infer<typeof LibationAccountsSchema>, fileName: string | undefined): AudibleCredentials[] {
  const out: AudibleCredentials[] = [];
  for (const account of file.Accounts) {
    const tokens = account.IdentityTokens;
    if (!tokens) continue; // an account added in Libation but never signed in
    const mapped = LIBATION_LOCALES[tokens.LocaleName.toLowerCase()];
    if (!mapped) throw invalid(fileName, `unknown Libation locale ${JSON.stringify(tokens.LocaleName)}`);
    const cookies: Record<string, string> = {};
    for (const cookie of tokens.Cookies ?? []) {
      const value = secretText(cookie.Value);
      if (value !== null) cookies[cookie.Key] = value;
    }
    const expires = Date.parse(tokens.ExistingAccessToken.Expires);
    out.push(
      AudibleCredentialsSchema.parse({
        locale: mapped.locale,
        withUsername: mapped.withUsername,
        accessToken: tokens.ExistingAccessToken.TokenValue,
        refreshToken: tokens.RefreshToken.Value,
        expiresAt: Number.isFinite(expires) ? expires : 0,
        adpToken: tokens.AdpToken?.Value ?? null,
        devicePrivateKey: tokens.PrivateKey?.Value ?? null,
        deviceSerial: tokens.DeviceSerialNumber ?? null,
        deviceType: tokens.DeviceType ?? null,
        deviceName: tokens.DeviceName ?? null,
        customerId: tokens.AmazonAccountId ?? null,
        customerName: account.AccountName ?? null,
        websiteCookies: cookies,
        storeAuthenticationCookie: secretText(tokens.StoreAuthenticationCookie),
        // Libation's devices are its Android app's: refreshed with that app's values.
        deviceApp: 'android',
      }),
    );
  }
  if (out.length === 0) throw invalid(fileName, 'the Libation file has no signed-in account');
  return out;
}
