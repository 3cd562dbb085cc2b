import { SagaSyncError } from '@sagasync/core';
import { AudibleCredentialsSchema, accountName, summarizeAccount, type AudibleAccountSummary, type AudibleCredentials } from './credentials.js';

/**
 * Where secrets live. `createCredentialVault({ storage, ownerId, key })` of @sagasync/storage
 * (AES-256-GCM, key from a passphrase via scrypt or from `SAGASYNC_SECRET`) has this shape and is
 * meant to be passed as is. Values handed to `put` are plaintext and must be encrypted by the store.
 */
export interface SecretStore {
  /** The secret, or null when there is none under `name`. */
  get(name: string): Promise<unknown>;
  put(name: string, secret: unknown): Promise<void>;
  delete(name: string): Promise<void>;
  /** Names only. */
  list(): Promise<string[]>;
}

const PREFIX = 'audible:';

/** Several Audible accounts and marketplaces per owner, stored as `audible:{locale}:{customerId}`. */
export interface AudibleAccounts {
  save(credentials: AudibleCredentials): Promise<string>;
  load(name: string): Promise<AudibleCredentials | null>;
  remove(name: string): Promise<void>;
  list(): Promise<AudibleAccountSummary[]>;
  /**
   * The one account to use: by exact name, else the only one on `locale`, else the only one.
   * Throws `config_missing` when none, `invalid_input` when it is ambiguous.
   */
  resolve(selector?: { name?: string; locale?: string }): Promise<{ name: string; credentials: AudibleCredentials }>;
}

export function createAudibleAccounts(store: SecretStore): AudibleAccounts {
  const load = async (name: string): Promise<AudibleCredentials | null> => {
    const value = await store.get(name);
    if (value === null || value === undefined) return null;
    const parsed = AudibleCredentialsSchema.safeParse(value);
    if (!parsed.success) {
      throw new SagaSyncError('invalid_input', `Stored Audible credentials ${name} are unreadable; sign in again`, { details: { location: name, reason: 'audible_signed_out' } });
    }
    return parsed.data;
  };
  const names = async () => (await store.list()).filter((n) => n.startsWith(PREFIX)).sort();
  return {
    async save(credentials) {
      const name = accountName(credentials);
      await store.put(name, AudibleCredentialsSchema.parse(credentials));
      return name;
    },
    load,
    remove: (name) => store.delete(name),
    async list() {
      const out: AudibleAccountSummary[] = [];
      for (const name of await names()) {
        const credentials = await load(name);
        if (credentials) out.push(summarizeAccount(credentials));
      }
      return out;
    },
    async resolve(selector = {}) {
      const all = await names();
      let candidates = all;
      if (selector.name) candidates = all.filter((n) => n === selector.name);
      else if (selector.locale) candidates = all.filter((n) => n.startsWith(`${PREFIX}${selector.locale}:`));
      if (candidates.length === 0) {
        throw new SagaSyncError('config_missing', `No Audible account${selector.locale ? ` on ${selector.locale}` : ''}${selector.name ? ` named ${selector.name}` : ''}; sign in with \`sagasync audible login\``, {
          details: { reason: 'audible_signed_out' },
        });
      }
      if (candidates.length > 1) {
        throw new SagaSyncError('invalid_input', `Several Audible accounts match (${candidates.join(', ')}); choose one with --account or --locale`, {
          details: { candidates },
        });
      }
      const name = candidates[0]!;
      const credentials = await load(name);
      if (!credentials) throw new SagaSyncError('config_missing', `Audible account ${name} disappeared; sign in again`);
      return { name, credentials };
    },
  };
}
