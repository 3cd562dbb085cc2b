import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SagaSyncError, type DirectoryPort, type Logger, type StoragePort } from '@sagasync/core';
import { createCredentialSealer, type CredentialSealer } from '@sagasync/storage';
import { readLambdaEnv, type LambdaEnv } from './env.js';
import { jsonLogger } from './log.js';
import { loadSecrets, type LambdaSecrets } from './secrets.js';
import { openLambdaStores } from './stores.js';

/**
 * Everything a SagaSync function needs, made once per container at initialisation: the validated
 * environment, the stores on the deployment's table, the secrets (from Secrets Manager, cached),
 * the sealer for stored credentials, a clock and a JSON logger. Tests build one with
 * `createLambdaRuntime` and their own parts (DynamoDB Local's client, a fixed clock).
 */
export interface LambdaRuntime {
  env: LambdaEnv;
  storage: StoragePort;
  directory: DirectoryPort;
  documentClient: DynamoDBDocumentClient;
  secrets: LambdaSecrets;
  sealer: CredentialSealer;
  clock: () => Date;
  log: Logger;
}

export async function createLambdaRuntime(
  overrides: { env?: NodeJS.ProcessEnv; documentClient?: DynamoDBDocumentClient; secrets?: LambdaSecrets; clock?: () => Date; log?: Logger } = {},
): Promise<LambdaRuntime> {
  const env = readLambdaEnv(overrides.env);
  const stores = openLambdaStores({ tableName: env.SAGASYNC_TABLE, ...(overrides.documentClient ? { documentClient: overrides.documentClient } : {}) });
  const secrets = overrides.secrets ?? (await loadSecrets({ sagasyncSecretId: env.SAGASYNC_SECRET_ID ?? null, notionTokenId: env.SAGASYNC_NOTION_SECRET_ID ?? null }));
  return {
    env,
    ...stores,
    secrets,
    sealer: secrets.sagasyncSecret === null ? noSealer : createCredentialSealer({ secret: secrets.sagasyncSecret }),
    clock: overrides.clock ?? (() => new Date()),
    log: overrides.log ?? jsonLogger(env.LOG_LEVEL),
  };
}

/** The sealer of a function the stack gives no SagaSync secret: it never opens or seals anything. */
const noSealer: CredentialSealer = {
  seal: () => Promise.reject(missingSecret()),
  open: () => Promise.reject(missingSecret()),
};
const missingSecret = () => new SagaSyncError('config_missing', 'this function has no SagaSync secret (SAGASYNC_SECRET_ID is not set)', { details: { location: 'SAGASYNC_SECRET_ID' } });

let shared: Promise<LambdaRuntime> | null = null;

/** The container's runtime, made on first use (a handler awaits it at module scope, so it is init time). */
export function lambdaRuntime(): Promise<LambdaRuntime> {
  shared ??= createLambdaRuntime().catch((error: unknown) => {
    // A failed initialisation is retried on the next invocation rather than cached.
    shared = null;
    throw error;
  });
  return shared;
}
