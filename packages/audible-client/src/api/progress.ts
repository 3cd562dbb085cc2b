import { SagaSyncError } from '@sagasync/core';
import type { AudibleClient } from '../client.js';
import { parseEach } from '../http/validate.js';
import { chunk, mapLimit } from './concurrency.js';
import { FinishedEventSchema, FinishedStatusSchema, LastPositionAnnotationSchema, LastPositionsSchema } from './schemas.js';
import { normaliseTimestamp } from './timestamps.js';
import type { OnFetchWarning } from './warnings.js';

/** The annotations endpoint takes at most 25 ASINs per call. */
export const MAX_ASINS_PER_LASTPOSITIONS_CALL = 25;

export interface LastPosition {
  positionMs: number;
  /** ISO 8601 UTC, or null when Audible sent none or an unreadable one. */
  updatedAt: string | null;
}

/**
 * Last heard positions of `asins`, 25 per call. Titles never played are absent from the map; an
 * annotation that cannot be read is left out with a warning.
 */
export async function fetchLastPositions(client: AudibleClient, asins: readonly string[], options: { concurrency?: number; onWarning?: OnFetchWarning } = {}): Promise<Map<string, LastPosition>> {
  const out = new Map<string, LastPosition>();
  await mapLimit(chunk([...new Set(asins)], MAX_ASINS_PER_LASTPOSITIONS_CALL), options.concurrency ?? 4, async (batch) => {
    const what = 'GET /1.0/annotations/lastpositions';
    const { data } = await client.get('/1.0/annotations/lastpositions', { asins: batch.join(',') }, LastPositionsSchema);
    const { items, rejected } = parseEach(LastPositionAnnotationSchema, data.asin_last_position_heard_annots, '$.asin_last_position_heard_annots');
    for (const bad of rejected) options.onWarning?.({ source: 'lastpositions', asin: bad.asin, message: `last position left out (${what}, ${bad.reason})` });
    for (const annot of items) {
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

export interface FetchFinishedOptions {
  startDate?: string;
  maxPages?: number;
  /** Called for each event left out, and when the list could not be fetched (whole or in part). */
  onWarning?: OnFetchWarning;
}

/**
 * The latest mark-as-finished event per title (`/1.0/stats/status/finished`), following
 * continuation tokens. The only source of *when* a title was finished besides
 * `listening_status.finished_at_timestamp`, and best-effort: an event that cannot be read is left
 * out with a warning naming its ASIN, and when a page cannot be fetched (the API refuses it, or
 * answers something else; mkb79 documents the continuation token as a POST field, its use on GET
 * is unverified) the events read so far are kept and the sync goes on. A signed-out account still
 * fails, as every other call would.
 */
export async function fetchFinishedStates(client: AudibleClient, options: FetchFinishedOptions = {}): Promise<Map<string, FinishedState>> {
  const out = new Map<string, FinishedState>();
  const seenTokens = new Set<string>();
  const what = 'GET /1.0/stats/status/finished';
  let token: string | undefined;
  for (let page = 0; page < (options.maxPages ?? 1000); page++) {
    let data;
    try {
      ({ data } = await client.get('/1.0/stats/status/finished', { start_date: options.startDate ?? '2000-01-01T00:00:00Z', continuation_token: token }, FinishedStatusSchema));
    } catch (error) {
      if (!SagaSyncError.isInstance(error) || error.code === 'auth_failed') throw error;
      options.onWarning?.({
        source: 'finished',
        asin: null,
        message: `finish dates ${page === 0 ? 'are unavailable' : `are incomplete (page ${page + 1} failed)`}: ${error.message}`,
      });
      break;
    }
    const { items, rejected } = parseEach(FinishedEventSchema, data.mark_as_finished_status_list ?? [], '$.mark_as_finished_status_list');
    for (const bad of rejected) options.onWarning?.({ source: 'finished', asin: bad.asin, message: `finished event left out (${what}, ${bad.reason})` });
    for (const event of items) {
      const at = normaliseTimestamp(event.event_timestamp);
      if (!at) {
        options.onWarning?.({ source: 'finished', asin: event.asin, message: `finished event left out (${what}): unreadable event_timestamp` });
        continue;
      }
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
