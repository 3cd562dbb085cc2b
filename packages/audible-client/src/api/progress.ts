import type { AudibleClient } from '../client.js';
import { chunk, mapLimit } from './concurrency.js';
import { FinishedStatusSchema, LastPositionsSchema } from './schemas.js';
import { normaliseTimestamp } from './timestamps.js';

/** The annotations endpoint takes at most 25 ASINs per call. */
export const MAX_ASINS_PER_LASTPOSITIONS_CALL = 25;

export interface LastPosition {
  positionMs: number;
  /** ISO 8601 UTC, or null when Audible sent none or an unreadable one. */
  updatedAt: string | null;
}

/** Last heard positions of `asins`, 25 per call. Titles never played are absent from the map. */
export async function fetchLastPositions(client: AudibleClient, asins: readonly string[], options: { concurrency?: number } = {}): Promise<Map<string, LastPosition>> {
  const out = new Map<string, LastPosition>();
  await mapLimit(chunk([...new Set(asins)], MAX_ASINS_PER_LASTPOSITIONS_CALL), options.concurrency ?? 4, async (batch) => {
    const { data } = await client.get('/1.0/annotations/lastpositions', { asins: batch.join(',') }, LastPositionsSchema);
    for (const annot of data.asin_last_position_heard_annots) {
      const heard = annot.last_position_heard;
      if (!heard || heard.status !== 'Exists' || typeof heard.position_ms !== 'number' || heard.position_ms < 0) continue;
      out.set(annot.asin, { positionMs: Math.floor(heard.position_ms), updatedAt: normaliseTimestamp(heard.last_updated) });
    }
  });
  return out;
}

export interface FinishedState {
  finished: boolean;
  /** When the latest mark-as-finished (or unfinished) event happened, ISO 8601 UTC. */
  at: string;
}

/**
 * The latest mark-as-finished event per title (`/1.0/stats/status/finished`), following
 * continuation tokens. The only source of *when* a title was finished besides
 * `listening_status.finished_at_timestamp`.
 */
export async function fetchFinishedStates(client: AudibleClient, options: { startDate?: string; maxPages?: number } = {}): Promise<Map<string, FinishedState>> {
  const out = new Map<string, FinishedState>();
  const seenTokens = new Set<string>();
  let token: string | undefined;
  for (let page = 0; page < (options.maxPages ?? 1000); page++) {
    const { data } = await client.get('/1.0/stats/status/finished', { start_date: options.startDate ?? '2000-01-01T00:00:00Z', continuation_token: token }, FinishedStatusSchema);
    for (const event of data.mark_as_finished_status_list ?? []) {
      const at = normaliseTimestamp(event.event_timestamp);
      if (!at) continue;
      const known = out.get(event.asin);
      if (!known || known.at <= at) out.set(event.asin, { finished: event.is_marked_as_finished, at });
    }
    const next = data.continuation_token ?? undefined;
    // A repeated token would loop forever; stop there.
    if (!next || seenTokens.has(next)) break;
    seenTokens.add(next);
    token = next;
  }
  return out;
}
