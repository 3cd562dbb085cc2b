import * as z from 'zod';

/**
 * What a SagaSync function reads from its environment, validated once at initialisation. The CDK
 * stack sets these; a local run (tests, `invoke:sample`, `reset`) sets them for DynamoDB Local and
 * the fakes. AWS endpoints are the SDK's own settings (`AWS_ENDPOINT_URL_DYNAMODB`,
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER`, `AWS_ENDPOINT_URL_SFN`), so nothing here names a host.
 */
export const LambdaEnvSchema = z.object({
  /** Part of every resource name: `SagaSync-<stage>-...`. */
  SAGASYNC_STAGE: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,19}$/, 'a stage is lowercase letters, digits and dashes, at most 20')
    .default('dev'),
  /** The one DynamoDB table of the deployment (library and directory). */
  SAGASYNC_TABLE: z.string().min(3).max(255),
  /**
   * The Secrets Manager secret whose string is SAGASYNC_SECRET (seals credentials and webhook
   * secrets). The stack sets it only on the functions allowed to read it; one without it opens
   * nothing sealed.
   */
  SAGASYNC_SECRET_ID: z.string().min(1).optional(),
  /** The Secrets Manager secret holding the deployment's Notion integration token (set on the functions that call Notion). */
  SAGASYNC_NOTION_SECRET_ID: z.string().min(1).optional(),
  /** The import workflow the HTTP API starts for an import job. */
  SAGASYNC_IMPORT_STATE_MACHINE_ARN: z.string().min(1).optional(),
  /** Base URLs for tests and local runs (fake-audible, fake-notion); unset in a deployment. */
  SAGASYNC_AUDIBLE_API_URL: z.url().optional(),
  SAGASYNC_AMAZON_API_URL: z.url().optional(),
  SAGASYNC_NOTION_API_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});
export type LambdaEnv = z.infer<typeof LambdaEnvSchema>;

/** Reads and validates the environment; a bad value stops initialisation with one line naming it. */
export function readLambdaEnv(env: NodeJS.ProcessEnv = process.env): LambdaEnv {
  const parsed = LambdaEnvSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new Error(`SagaSync configuration: ${issue.path.join('.') || 'environment'}: ${issue.message}`);
}
