import { keyFromSecret } from '@sagasync/storage';
import * as z from 'zod';

function isSecretKey(value: string): boolean {
  try {
    keyFromSecret(value);
    return true;
  } catch {
    return false;
  }
}

const awsSetting = z
  .string()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

/** The environment the CLI reads, validated once at start-up. Packages never read env. */
export const CliEnvSchema = z.object({
  HOME: z.string().optional(),
  XDG_DATA_HOME: z.string().optional(),
  /** Store file; `--store` wins over it. */
  SAGASYNC_STORE: z.string().min(1).optional(),
  /** Key for encrypting credentials at rest (instead of a passphrase prompt): 32 random bytes. */
  SAGASYNC_SECRET: z
    .string()
    .optional()
    .transform((value) => (value === '' ? undefined : value))
    .refine((value) => value === undefined || isSecretKey(value), 'must be 32 random bytes as 64 hex characters or base64, e.g. `openssl rand -base64 32`'),
  /** A passphrase for stored credentials instead of the prompt (SAGASYNC_SECRET wins); still checked against the store's. */
  SAGASYNC_PASSPHRASE: z
    .string()
    .optional()
    .transform((value) => (value === '' ? undefined : value)),
  /** Base URLs of the Audible API and Amazon's auth hosts: for proxies and tests. */
  SAGASYNC_AUDIBLE_API_URL: z.url().optional(),
  SAGASYNC_AMAZON_API_URL: z.url().optional(),
  /** A token of a SagaSync server, for `import --api-url`. */
  SAGASYNC_API_TOKEN: z.string().min(1).optional(),
  /** The key `store copy --reencrypt` seals credentials with in the target store (a secret, else a passphrase). */
  SAGASYNC_TARGET_SECRET: z
    .string()
    .optional()
    .transform((value) => (value === '' ? undefined : value))
    .refine((value) => value === undefined || isSecretKey(value), 'must be 32 random bytes as 64 hex characters or base64, e.g. `openssl rand -base64 32`'),
  SAGASYNC_TARGET_PASSPHRASE: z
    .string()
    .optional()
    .transform((value) => (value === '' ? undefined : value)),
  /**
   * For `dynamodb:<table>` stores: the AWS SDK's usual settings. Read leniently (a shell set up for
   * other AWS tools must not stop the CLI); the SDK reports a bad one when a command uses it.
   */
  AWS_ENDPOINT_URL_DYNAMODB: awsSetting,
  AWS_ENDPOINT_URL: awsSetting,
  AWS_REGION: awsSetting,
  AWS_DEFAULT_REGION: awsSetting,
  AWS_ACCESS_KEY_ID: awsSetting,
  AWS_SECRET_ACCESS_KEY: awsSetting,
  AWS_SESSION_TOKEN: awsSetting,
  NOTION_TOKEN: z.string().min(1).optional(),
  NOTION_BASE_URL: z.url().optional(),
  /** Notion's average limit is 3 a second; a proxy or a test server may allow another. */
  SAGASYNC_NOTION_REQUESTS_PER_SECOND: z.coerce.number().positive().max(100).optional(),
  NOTION_BOOKS_DB_ID: z.string().min(1).optional(),
  NOTION_SERIES_DB_ID: z.string().min(1).optional(),
  NO_COLOR: z.string().optional(),
  FORCE_COLOR: z.string().optional(),
  /**
   * The width tables fit when stdout's terminal does not say, or in a pipe. Read leniently (a
   * shell's stray value must not stop the CLI): anything but a positive whole number is ignored.
   */
  COLUMNS: z.string().optional(),
});
export type CliEnv = z.infer<typeof CliEnvSchema>;

export function readEnv(env: Record<string, string | undefined>): CliEnv {
  const parsed = CliEnvSchema.safeParse(env);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new CliError(`environment variable ${String(first.path[0])}: ${first.message}`, { exitCode: 1 });
  }
  return parsed.data;
}

/** A failure the CLI reports as one line with an optional hint, never with a stack trace. */
export class CliError extends Error {
  readonly exitCode: number;
  readonly hint: string | undefined;
  constructor(message: string, options: { exitCode?: number; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? 1;
    this.hint = options.hint;
  }
}

export const EXIT = { ok: 0, error: 1, invalidInput: 2 } as const;

/** Ends a command with an exit code after it has printed its own report. */
export class ExitWith {
  constructor(readonly exitCode: number) {}
}
