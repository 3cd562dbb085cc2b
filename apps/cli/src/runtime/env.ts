import { z } from 'zod';

/** The environment the CLI reads, validated once at start-up. Packages never read env. */
export const CliEnvSchema = z.object({
  HOME: z.string().optional(),
  XDG_DATA_HOME: z.string().optional(),
  /** Store file; `--store` wins over it. */
  SAGASYNC_STORE: z.string().min(1).optional(),
  /** Key for encrypting credentials at rest (instead of a passphrase prompt). */
  SAGASYNC_SECRET: z.string().min(16, 'SAGASYNC_SECRET must be at least 16 characters').optional(),
  NO_COLOR: z.string().optional(),
  FORCE_COLOR: z.string().optional(),
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
