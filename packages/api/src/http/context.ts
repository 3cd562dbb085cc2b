import type { LibraryRecords, TrackerSource, UseCaseContext } from '@sagasync/core';
import type { Job, JobKind } from '../jobs/job.js';
import type { AudibleConfig, AudibleConfigUpdate, AudibleSignInAnswer, AudibleSignInFinish, AudibleSignInStart } from '../read-models/audible.js';

/**
 * What a handler is called with: the use-case context of the authenticated owner, the host's job
 * runner, and the optional services the host wired (matching, Notion, Audible), so a host that
 * never matches never loads the matcher.
 */
export interface ApiContext extends UseCaseContext {
  jobs: JobRunner;
  services: ApiServices;
}

/**
 * How a host runs long work. The server runs it in-process; the Lambda host starts a Step
 * Functions execution. Either way the job's state is kept in the owner's store (see `saveJob`).
 */
export interface JobRunner {
  start(ctx: ApiContext, kind: JobKind, input: unknown): Promise<Job>;
  /**
   * A committed import of more titles than this runs as a job (default
   * `IMPORT_INLINE_MAX_TITLES`); a host whose requests have a short deadline (API Gateway's 30 s)
   * sets 0 so every committed import is a job.
   */
  readonly inlineImportMaxTitles?: number;
}

/**
 * What a host may plug in for the routes that need more than the store. Each is optional: a route
 * whose service is missing answers `config_missing` (422), so a host states what it supports.
 */
export interface ApiServices {
  /** Links titles to a tracker export's books (the matcher); `text` is the tracker file's contents. */
  match?: (ctx: ApiContext, input: { text: string; source?: TrackerSource; commit: boolean }) => Promise<unknown>;
  /** Mirrors the library into Notion, within `deadline` when given. */
  notionPush?: (ctx: ApiContext, input: { dryRun: boolean; deadline?: Date; cursor?: string | null }) => Promise<unknown>;
  /** What the Notion mirror looks like (databases, mirrored pages). */
  notionStatus?: (ctx: ApiContext) => Promise<unknown>;
  /** Applies a Notion webhook event (signature already checked by the host). */
  notionWebhook?: (ctx: ApiContext, event: unknown) => Promise<unknown>;
  /** Fetches the owner's library from Audible as records for the import planner. */
  audibleFetch?: (ctx: ApiContext) => Promise<{ records: LibraryRecords; source: string }>;
  /** The owner's sync schedule: `can_sync`, `reason`, `next_allowed_sync`, `syncs_remaining_today`. */
  audibleSchedule?: (ctx: ApiContext, claim: boolean) => Promise<AudibleScheduleState>;
  /** Starts an external-browser Audible sign-in: the URL to open, the pending sign-in kept by the host. */
  audibleSignInStart?: (ctx: ApiContext, input: AudibleSignInStart) => Promise<AudibleSignInAnswer>;
  /** Finishes it with the pasted redirect URL: registers the device and stores the owner's account. */
  audibleSignInFinish?: (ctx: ApiContext, input: AudibleSignInFinish) => Promise<AudibleSignInAnswer>;
  /** The owner's sync settings; with an update (null: read only), changes them first. */
  audibleConfig?: (ctx: ApiContext, update: AudibleConfigUpdate | null) => Promise<AudibleConfig>;
}

export interface AudibleScheduleState {
  can_sync: boolean;
  reason: string;
  next_allowed_sync: string | null;
  syncs_remaining_today: number;
}
