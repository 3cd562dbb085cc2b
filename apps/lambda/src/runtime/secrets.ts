import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** The deployment's secrets, read from Secrets Manager once per container. */
export interface LambdaSecrets {
  /** SAGASYNC_SECRET: seals stored credentials and webhook secrets; null for a function given none. */
  sagasyncSecret: string | null;
  /** The deployment's Notion integration token, or null when no such secret exists. */
  notionToken: string | null;
}

const cache = new Map<string, Promise<LambdaSecrets>>();

/**
 * Reads the two secrets with `GetSecretValue`, in parallel, at initialisation, and caches them for
 * the container: a module-level promise keyed by the two ids, so every invocation (and every
 * caller) after the first reuses it without asking Secrets Manager again. A failed load is not
 * cached: the next call tries again.
 *
 * - `sagasyncSecretId` (SAGASYNC_SECRET_ID): a missing secret, an empty one or one that cannot be
 *   read stops initialisation with an error naming the secret id (never its value). Null: the
 *   function opens nothing sealed and is not allowed to read it (least privilege), so it is not read.
 * - `notionTokenId` (SAGASYNC_NOTION_SECRET_ID), null for functions that never call Notion: a secret that does not exist
 *   (`ResourceNotFoundException`) or is empty gives `notionToken: null`; any other failure (access
 *   denied, ...) is an error, as for the SagaSync secret.
 *
 * A secret's `SecretString` is either the value itself (plain text; surrounding whitespace is
 * dropped) or a JSON object holding it, as the console's key/value editor writes it:
 * `{"SAGASYNC_SECRET": "..."}` or `{"token": "..."}` (either key for either secret). A string that
 * is not a JSON object is taken as plain text. Binary secrets are not supported.
 *
 * Nothing here logs, and no error carries a value. The client is the SDK's default one (region,
 * credentials and `AWS_ENDPOINT_URL_SECRETS_MANAGER` from the environment) unless one is given; a
 * default client is closed after the read. When the ids are already cached, `client` is unused.
 */
export async function loadSecrets(ids: { sagasyncSecretId: string | null; notionTokenId: string | null }, client?: SecretsManagerClient): Promise<LambdaSecrets> {
  if (ids.sagasyncSecretId === null && ids.notionTokenId === null) return { sagasyncSecret: null, notionToken: null };
  const key = `${ids.sagasyncSecretId ?? ''}\u0000${ids.notionTokenId ?? ''}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = readSecrets(ids, client);
    cache.set(key, pending);
    pending.catch(() => {
      if (cache.get(key) === pending) cache.delete(key);
    });
  }
  return pending;
}

async function readSecrets(ids: { sagasyncSecretId: string | null; notionTokenId: string | null }, given: SecretsManagerClient | undefined): Promise<LambdaSecrets> {
  const client = given ?? new SecretsManagerClient({});
  try {
    const none = Promise.resolve(null);
    const sagasync = ids.sagasyncSecretId === null ? none : readSecret(client, ids.sagasyncSecretId, 'SAGASYNC_SECRET_ID');
    const notion = ids.notionTokenId === null ? none : ids.notionTokenId === ids.sagasyncSecretId ? sagasync : readSecret(client, ids.notionTokenId, 'SAGASYNC_NOTION_SECRET_ID');
    const [sagasyncSecret, notionToken] = await Promise.all([
      sagasync.then((value) => {
        if (ids.sagasyncSecretId === null) return null;
        if (value === null) {
          throw new Error(
            `SagaSync configuration: the secret "${ids.sagasyncSecretId}" (SAGASYNC_SECRET_ID) was not found in Secrets Manager; ` +
              'create it with SAGASYNC_SECRET (32 random bytes, e.g. `openssl rand -base64 32`)',
          );
        }
        if (value === '') throw new Error(`SagaSync configuration: the secret "${ids.sagasyncSecretId}" (SAGASYNC_SECRET_ID) is empty`);
        return value;
      }),
      notion.then((value) => (value === '' ? null : value)),
    ]);
    return { sagasyncSecret, notionToken };
  } finally {
    if (!given) client.destroy();
  }
}

/** The secret's value (unwrapped from JSON), '' if it is empty, or null if it does not exist. */
async function readSecret(client: SecretsManagerClient, secretId: string, setting: string): Promise<string | null> {
  let secretString: string | undefined;
  let binary = false;
  try {
    const answer = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    secretString = answer.SecretString;
    binary = answer.SecretBinary !== undefined;
  } catch (error) {
    if ((error as { name?: unknown } | null)?.name === 'ResourceNotFoundException') return null;
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new Error(`SagaSync configuration: could not read the secret "${secretId}" (${setting}) from Secrets Manager: ${detail}`, { cause: error });
  }
  if (secretString === undefined) {
    if (binary) throw new Error(`SagaSync configuration: the secret "${secretId}" (${setting}) is binary; store it as a string`);
    return '';
  }
  return unwrap(secretString, secretId, setting);
}

const VALUE_FIELDS = ['SAGASYNC_SECRET', 'token'] as const;

function unwrap(secretString: string, secretId: string, setting: string): string {
  const text = secretString.trim();
  if (!text.startsWith('{')) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: a plain value that starts with "{". (The parse error quotes the text, so it is dropped.)
    return text;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return text;
  for (const field of VALUE_FIELDS) {
    const value = (parsed as Record<string, unknown>)[field];
    if (typeof value === 'string') return value.trim();
  }
  throw new Error(`SagaSync configuration: the secret "${secretId}" (${setting}) is a JSON object without a string "SAGASYNC_SECRET" or "token" field`);
}
