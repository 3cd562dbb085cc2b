import type { LambdaRuntime } from '../runtime/context.js';
import * as z from 'zod';
import { toWorkflowError } from '../workflows/errors.js';

/** A page of due users: ids only, so the state stays far under Step Functions' 256 KiB. */
const PAGE = 500;

const InputSchema = z.object({ cursor: z.string().nullable().optional(), at: z.iso.datetime().nullable().optional() }).passthrough();

export interface DueUsers {
  /** The instant the run started with: every page and every user's sync uses it. */
  at: string;
  users: string[];
  cursor: string | null;
}

/**
 * The scheduled sync's fan-out: the users whose schedule is due, a page at a time, from the
 * directory's due index (no scan). The workflow maps over `users` and comes back with `cursor`
 * until it is null. Reads only, so a retry reads the same.
 */
export async function listDueUsers(runtime: LambdaRuntime, event: unknown): Promise<DueUsers> {
  try {
    const input = InputSchema.parse(event ?? {});
    const at = input.at ?? runtime.clock().toISOString();
    const page = await runtime.directory.listUsersDueForSync(new Date(at), { limit: PAGE, ...(input.cursor ? { cursor: input.cursor } : {}) });
    return { at, users: page.items.map((schedule) => schedule.userId), cursor: page.nextCursor ?? null };
  } catch (error) {
    throw toWorkflowError(error);
  }
}
