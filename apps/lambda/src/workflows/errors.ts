import { ERROR_TABLE, SagaSyncError, type ErrorCode } from '@sagasync/core';
import * as z from 'zod';

/**
 * The error name the workflows retry with backoff (see `Retry` in workflows/*.asl.json): throttling,
 * a 5xx, a store or Notion lease held by someone else, version conflicts left after the use case's
 * own retries. Step Functions matches a Lambda error by its `errorType`, which is the thrown
 * error's `name`.
 */
export const RETRYABLE_ERROR = 'SagaSync.Retryable';

/** Codes worth trying again later: the same call may well succeed then. */
const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set(['version_conflict', 'store_locked', 'rate_limited', 'remote_failure', 'storage_failure']);

/** AWS SDK and network failures that say "later" rather than "never". */
const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'AbortError',
]);
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * What a task throws: `name` is what the state machine's Retry and Catch match (`SagaSync.Retryable`,
 * or `SagaSync.<code>` for a failure that retrying cannot mend), `code` and `location` what the job
 * records.
 */
export class WorkflowError extends Error {
  readonly code: ErrorCode;
  readonly location: string | undefined;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: { retryable: boolean; location?: string; cause?: unknown }) {
    // A retryable error's message starts with its code, so the failure recorded after the last
    // retry (from the state's Error and Cause alone) still has it.
    super(options.retryable ? `${code}: ${message}` : message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = options.retryable ? RETRYABLE_ERROR : `SagaSync.${code}`;
    this.code = code;
    this.location = options.location;
    this.retryable = options.retryable;
  }
}

function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const meta = (error as { $retryable?: unknown; $metadata?: { httpStatusCode?: number }; code?: unknown; cause?: unknown }) ?? {};
  if (meta.$retryable) return true;
  if (TRANSIENT_NAMES.has(error.name)) return true;
  if ((meta.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  if (typeof meta.code === 'string' && TRANSIENT_CODES.has(meta.code)) return true;
  // undici's `fetch failed` carries the socket error as its cause.
  if (error instanceof TypeError && error.message === 'fetch failed') return true;
  return meta.cause !== undefined && meta.cause !== error && isTransient(meta.cause);
}

/** Any error as the task's `WorkflowError`. */
export function toWorkflowError(error: unknown): WorkflowError {
  if (error instanceof WorkflowError) return error;
  if (SagaSyncError.isInstance(error)) {
    const location = typeof error.details.location === 'string' ? error.details.location : undefined;
    return new WorkflowError(error.code, error.message, { retryable: RETRYABLE_CODES.has(error.code), location, cause: error });
  }
  if (isTransient(error)) return new WorkflowError('remote_failure', error instanceof Error ? error.message : String(error), { retryable: true, cause: error });
  return new WorkflowError('internal', error instanceof Error ? error.message : String(error), { retryable: false, cause: error });
}

/** How a job's error begins when the library was imported and only the Notion mirror failed. */
export const IMPORTED_BUT = 'the library was imported, but the Notion mirror failed: ';

/** A job's `error`, as `GET /api/jobs/:id` shows it. */
export interface JobError {
  code: string;
  message: string;
  location?: string;
}

/** The job error of a task's own failure: what `errorResponse` would answer (an internal error's message is not shown). */
export function jobErrorOf(error: WorkflowError): JobError {
  const message = error.code === 'internal' ? 'internal error' : error.retryable ? error.message.slice(error.code.length + 2) : error.message;
  return { code: error.code, message, ...(error.location ? { location: error.location } : {}) };
}

const LambdaCauseSchema = z.object({ errorMessage: z.string().optional(), errorType: z.string().optional() });

/**
 * The job error for a failure the state machine caught (`{Error, Cause}`): from a task (a Lambda's
 * Cause is JSON with `errorMessage`; the local runner's is the message), or from Step Functions
 * itself (`States.Timeout`, `Lambda.ServiceException`, ...).
 */
export function jobErrorFromCaught(caught: { Error?: string | undefined; Cause?: unknown } | undefined): JobError {
  const name = caught?.Error ?? 'States.Unknown';
  let message = typeof caught?.Cause === 'string' ? caught.Cause : '';
  if (message.startsWith('{')) {
    try {
      const parsed = LambdaCauseSchema.safeParse(JSON.parse(message));
      if (parsed.success && parsed.data.errorMessage !== undefined) message = parsed.data.errorMessage;
    } catch {
      // Not JSON after all: the text as it is.
    }
  }
  if (name === RETRYABLE_ERROR) {
    const match = /^([a-z_]+): ([\s\S]*)$/.exec(message);
    if (match && match[1]! in ERROR_TABLE) return { code: match[1]!, message: `${match[2]!} (gave up after retries)` };
    return { code: 'remote_failure', message: `${message} (gave up after retries)` };
  }
  if (name.startsWith('SagaSync.')) {
    const code = name.slice('SagaSync.'.length);
    if (code in ERROR_TABLE) return { code, message: code === 'internal' ? 'internal error' : message };
  }
  if (name === 'States.Timeout') return { code: 'internal', message: 'a step of the import timed out' };
  if (name.startsWith('Lambda.')) return { code: 'remote_failure', message: `AWS Lambda failed the step (${name})` };
  return { code: 'internal', message: 'internal error' };
}
