import { ErrorBodySchema, ImportAnswerSchema, JobSchema, type ImportAnswer } from '@sagasync/api';
import type { LibraryRecords } from '@sagasync/core';
import type * as z from 'zod';
import { CliError, EXIT } from './env.js';

export interface RemoteOptions {
  commit: boolean;
  source: string;
  /** `SAGASYNC_API_TOKEN`: sent as a bearer token. */
  token?: string;
  /** How long to follow a job the API answered with. Default 10 minutes. */
  jobTimeoutMs?: number;
  /** Between two looks at the job. Default 1 s. */
  pollMs?: number;
}

/**
 * Sends parsed records to a SagaSync API (`POST /api/import`; a bare server URL gets that path),
 * as the original SagaSync's importer did. The API plans and applies them itself; a large commit
 * comes back as a job, which is followed until it finishes. Answers are checked against the API's
 * own schemas.
 */
export async function postImport(url: string, records: LibraryRecords, options: RemoteOptions): Promise<ImportAnswer> {
  const target = importUrl(url);
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const first = await call(target, { method: 'POST', headers, body: JSON.stringify({ commit: options.commit, source: options.source, records }) });
  if (first.status !== 202) return expectShape(ImportAnswerSchema, first.body, target);
  let job = expectShape(JobSchema, first.body, target);
  const deadline = Date.now() + (options.jobTimeoutMs ?? 600_000);
  const jobUrl = new URL(`/api/jobs/${encodeURIComponent(job.id)}`, target);
  while (job.state === 'running') {
    if (Date.now() > deadline) throw new CliError(`the import job ${job.id} is still running at ${target.origin}`, { hint: `look at it later: GET ${jobUrl.pathname}` });
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1000));
    job = expectShape(JobSchema, (await call(jobUrl, { method: 'GET', headers })).body, jobUrl);
  }
  if (job.state === 'failed') throw new CliError(`the API's import job failed: ${job.error?.message ?? 'unknown error'}`);
  return expectShape(ImportAnswerSchema, job.result, jobUrl);
}

function importUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`--api-url "${url}" is not a URL`, { hint: 'for example https://sagasync.example.com' });
  }
  if (parsed.pathname === '/' || parsed.pathname === '') parsed.pathname = '/api/import';
  return parsed;
}

async function call(url: URL, init: RequestInit): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
  } catch (error) {
    throw new CliError(`could not reach ${url.origin}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new CliError(`the API at ${url.origin} answered ${response.status} without JSON`);
  }
  if (!response.ok) {
    const error = ErrorBodySchema.safeParse(body);
    const message = error.success ? error.data.error.message : text.slice(0, 300);
    throw new CliError(`the API at ${url.origin} answered ${response.status}: ${message}`, {
      exitCode: response.status === 400 || response.status === 415 ? EXIT.invalidInput : EXIT.error,
      hint: response.status === 401 || response.status === 403 ? 'set SAGASYNC_API_TOKEN to a token of that server (`sagasync-server user add`)' : undefined,
    });
  }
  return { status: response.status, body };
}

function expectShape<T>(schema: z.ZodType<T>, body: unknown, url: URL): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(`the API at ${url.origin} answered in an unexpected shape (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'})`, {
      hint: 'is --api-url a SagaSync API of the same version?',
    });
  }
  return parsed.data;
}
