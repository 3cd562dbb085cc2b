import * as z from 'zod';
import { AsinSchema } from '../model/primitives.js';
import { ListeningStatusSchema, type ListeningStatus, type Progress } from '../model/progress.js';
import { SeriesPositionSchema, type SeriesPosition } from '../model/sequence.js';
import { SeriesStatusSchema, type Series, type SeriesStatus } from '../model/series.js';
import type { SeriesMembership, Title } from '../model/title.js';
import { positionStart } from '../sequence/parse-sequence.js';

/** The series fields the rules read; a stored `Series` or a source's `SeriesRecord` both fit. */
export type SeriesLike = Pick<Series, 'key' | 'title' | 'asin' | 'catalogueComplete'>;

/** One title in one series, with its progress (null when it has none). */
export interface SeriesVolumeInput {
  title: Title;
  membership: SeriesMembership;
  progress: Progress | null;
}

export interface SeriesRuleOptions {
  /** Count fractional positions (novellas such as 2.5) as required for caught_up / complete. */
  novellasRequired?: boolean;
  /** Infer missing whole-number volumes from gaps when no catalogue lists every volume. Default true. */
  inferGaps?: boolean;
  /** The moment "upcoming" is judged against (ISO timestamp). Default: the current time. */
  now?: string;
}

export const SeriesVolumeViewSchema = z.object({
  asin: AsinSchema,
  title: z.string(),
  /** Sequence text exactly as received. */
  sequence: z.string(),
  position: SeriesPositionSchema,
  owned: z.boolean(),
  /** The title's own listening status (not_started when it has no progress). */
  status: ListeningStatusSchema,
  releaseDate: z.string().nullable(),
  /** Released after `now`: a pre-order or an announced volume. */
  upcoming: z.boolean(),
  /** A fractional position (2.5): a novella, which blocks nothing unless novellas are required. */
  novella: z.boolean(),
  /** The title's own percent complete (0 without progress). */
  percentComplete: z.number(),
  /** Audible does not sell it in the account's marketplace (a catalogue volume without a price). */
  forSale: z.boolean().nullable(),
});
export type SeriesVolumeView = z.infer<typeof SeriesVolumeViewSchema>;

export const MissingVolumeSchema = z.object({
  sequence: z.string(),
  position: z.number().nullable(),
  /** Null for a volume inferred from a gap: nothing is known about it but its place. */
  asin: AsinSchema.nullable(),
  title: z.string().nullable(),
  /** True when the volume is not listed anywhere and only a gap in the owned numbers suggests it. */
  inferred: z.boolean(),
  /** Fractional position: does not block caught_up / complete unless novellas are required. */
  novella: z.boolean(),
  upcoming: z.boolean(),
});
export type MissingVolume = z.infer<typeof MissingVolumeSchema>;

/** A series as the rules see it; derived on demand, never stored. The schema documents API responses. */
export const SeriesViewSchema = z.object({
  key: z.string(),
  title: z.string(),
  asin: AsinSchema.nullable(),
  status: SeriesStatusSchema,
  /** Sorted by position (ranges by start), then volumes without a position, by title. */
  volumes: z.array(SeriesVolumeViewSchema),
  ownedCount: z.number().int().nonnegative(),
  /** Owned volumes that count as finished (their own progress, or a finished omnibus covering them). */
  finishedCount: z.number().int().nonnegative(),
  /** Sorted by position. */
  missing: z.array(MissingVolumeSchema),
  /** Volumes not owned that Audible cannot sell here: neither missing nor next to buy. */
  unavailable: z.array(z.object({ asin: AsinSchema, title: z.string(), sequence: z.string(), marketplace: z.string().nullable() })),
  nextUp: z.object({ asin: AsinSchema, title: z.string(), sequence: z.string() }).nullable(),
  nextToBuy: z
    .object({ asin: AsinSchema.nullable(), title: z.string().nullable(), sequence: z.string(), inferred: z.boolean(), upcoming: z.boolean() })
    .nullable(),
});
export type SeriesView = z.infer<typeof SeriesViewSchema>;

interface Volume {
  view: SeriesVolumeView;
  /** Whole and fractional positions whose content this volume holds, for coverage checks. */
  points: number[];
  novella: boolean;
  started: boolean;
  ownFinished: boolean;
  /** When the title was last listened to (its progress last changed), for next up. */
  lastListened: number;
  /** Not owned and not for sale in the account's marketplace. */
  unavailable: boolean;
  marketplace: string | null;
}

const isWhole = (n: number): boolean => Number.isInteger(n);

/** Longest run of consecutive unknown whole numbers still inferred as missing volumes. */
export const MAX_INFERRED_RUN = 20;

/** The positions a volume stands for: a number itself; a range every whole number in it (or its start). */
function pointsOf(position: SeriesPosition): number[] {
  if (position.kind === 'number') return [position.value];
  if (position.kind === 'none') return [];
  const points: number[] = [];
  for (let n = Math.ceil(position.start); n <= position.end; n++) points.push(n);
  return points.length > 0 ? points : [position.start];
}

function covers(position: SeriesPosition, point: number): boolean {
  if (position.kind === 'number') return position.value === point;
  if (position.kind === 'range') return position.start <= point && point <= position.end;
  return false;
}

/** A range counts as a novella only when it holds no whole number (e.g. `2.1-2.4`). */
function isNovella(position: SeriesPosition): boolean {
  if (position.kind === 'number') return !isWhole(position.value);
  if (position.kind === 'range') return Math.ceil(position.start) > position.end;
  return false;
}

function sortKey(position: SeriesPosition): [number, number, number] {
  // [group, start, end]: positioned volumes first; a single volume before an omnibus starting there.
  if (position.kind === 'number') return [0, position.value, position.value];
  if (position.kind === 'range') return [0, position.start, position.end + 0.5];
  return [1, 0, 0];
}

function compareVolumes(a: SeriesVolumeView, b: SeriesVolumeView): number {
  const [ga, sa, ea] = sortKey(a.position);
  const [gb, sb, eb] = sortKey(b.position);
  return ga - gb || sa - sb || ea - eb || compareText(a.title, b.title) || compareText(a.asin, b.asin);
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function isUpcoming(releaseDate: string | null | undefined, now: string): boolean {
  if (!releaseDate) return false;
  const release = Date.parse(releaseDate);
  const at = Date.parse(now);
  return Number.isFinite(release) && Number.isFinite(at) && release > at;
}

/**
 * Derives a series' status, missing volumes, next-up and next-to-buy from its volumes. Pure: the
 * same input always gives the same view (pass `now` for full determinism). The rules are listed in
 * the package README; in short:
 * - an owned volume covers its position; an owned omnibus (range) covers every position in it;
 * - a position counts finished when any owned title covering it is finished;
 * - missing = listed volumes (owned = false) whose position no owned title covers, plus, unless the
 *   catalogue is complete or `inferGaps` is false, whole numbers from 1 to the highest owned whole
 *   position that no volume at all covers (inferred), except runs longer than `MAX_INFERRED_RUN`;
 * - novellas (fractional positions) never block caught_up / complete unless `novellasRequired`;
 * - an owned volume not released yet does not block caught_up, but does block complete;
 * - volumes without a position are listed, never inferred or reported missing; owned ones count.
 */
export function deriveSeriesView(series: SeriesLike, inputs: readonly SeriesVolumeInput[], options: SeriesRuleOptions = {}): SeriesView {
  const novellasRequired = options.novellasRequired ?? false;
  const inferGaps = options.inferGaps ?? true;
  const now = options.now ?? new Date().toISOString();

  const volumes: Volume[] = inputs.map(({ title, membership, progress }) => {
    const status: ListeningStatus = progress?.status ?? 'not_started';
    return {
      view: {
        asin: title.asin,
        title: title.title,
        sequence: membership.sequence,
        position: membership.position,
        owned: title.owned,
        status,
        releaseDate: title.releaseDate,
        upcoming: isUpcoming(title.releaseDate, now),
        novella: isNovella(membership.position),
        percentComplete: progress?.percentComplete ?? 0,
        forSale: title.forSale ?? null,
      },
      points: pointsOf(membership.position),
      novella: isNovella(membership.position),
      started: status !== 'not_started',
      ownFinished: status === 'finished',
      lastListened: progress ? Date.parse(progress.changedAt ?? progress.updatedAt) || 0 : 0,
      unavailable: !title.owned && title.forSale === false,
      marketplace: title.marketplace ?? null,
    };
  });
  volumes.sort((a, b) => compareVolumes(a.view, b.view));

  const owned = volumes.filter((v) => v.view.owned);
  const finishedOwned = owned.filter((v) => v.ownFinished);
  const coveredByOwned = (point: number) => owned.some((v) => covers(v.view.position, point));
  const coveredByFinished = (point: number) => finishedOwned.some((v) => covers(v.view.position, point));
  const countsFinished = (v: Volume) => v.ownFinished || (v.points.length > 0 && v.points.every(coveredByFinished));
  const required = (novella: boolean) => novellasRequired || !novella;

  const missing = findMissing(series, volumes, owned, coveredByOwned, inferGaps);

  const finishedCount = owned.filter(countsFinished).length;
  const requiredOwned = owned.filter((v) => required(v.novella));
  // An owned pre-order cannot be listened to yet: it is missing for now, not unfinished.
  const blocking = requiredOwned.filter((v) => !countsFinished(v) && !v.view.upcoming);
  const waitingForRelease = requiredOwned.some((v) => !countsFinished(v) && v.view.upcoming);
  const requiredMissing = missing.filter((m) => required(m.novella));

  let status: SeriesStatus;
  if (!owned.some((v) => v.started)) status = 'not_started';
  else if (blocking.length > 0) status = 'in_progress';
  else if (requiredMissing.length > 0 || waitingForRelease) status = 'caught_up';
  else status = 'complete';

  const next = status === 'complete' ? undefined : nextUpOf(owned, countsFinished);
  const buy = requiredMissing[0] ?? missing[0] ?? null;

  return {
    key: series.key,
    title: series.title,
    asin: series.asin,
    status,
    volumes: volumes.map((v) => v.view),
    ownedCount: owned.length,
    finishedCount,
    missing,
    unavailable: volumes
      .filter((v) => v.unavailable && v.points.every((p) => !coveredByOwned(p)))
      .map((v) => ({ asin: v.view.asin, title: v.view.title, sequence: v.view.sequence, marketplace: v.marketplace })),
    nextUp: next ? { asin: next.view.asin, title: next.view.title, sequence: next.view.sequence } : null,
    nextToBuy: buy ? { asin: buy.asin, title: buy.title, sequence: buy.sequence, inferred: buy.inferred, upcoming: buy.upcoming } : null,
  };
}

/**
 * What to listen to next in a series, among owned volumes released already (in series order):
 * 1. the volume in progress listened to most recently (a tie: the one furthest along);
 * 2. else the first unfinished volume after the furthest finished one;
 * 3. else the first unfinished volume of all (#1 unread and #2 finished: #1).
 */
function nextUpOf(ordered: readonly Volume[], countsFinished: (v: Volume) => boolean): Volume | undefined {
  const candidates = ordered.filter((v) => !countsFinished(v) && !v.view.upcoming);
  let best: Volume | undefined;
  for (const v of candidates) if (v.view.status === 'in_progress' && (best === undefined || v.lastListened >= best.lastListened)) best = v;
  if (best !== undefined) return best;
  let furthestFinished = -1;
  ordered.forEach((v, i) => {
    if (countsFinished(v)) furthestFinished = i;
  });
  return ordered.slice(furthestFinished + 1).find((v) => candidates.includes(v)) ?? candidates[0];
}

function findMissing(
  series: SeriesLike,
  volumes: readonly Volume[],
  owned: readonly Volume[],
  coveredByOwned: (point: number) => boolean,
  inferGaps: boolean,
): MissingVolume[] {
  // A volume Audible cannot sell here is not missing: the listener could not buy it.
  const listed = volumes.filter((v) => !v.view.owned && !v.unavailable && v.points.length > 0);
  // Singles stand for their own position; an omnibus listed by the catalogue is only reported when
  // some position in it is available no other way (else buying the singles is the same thing).
  const singles = new Set(volumes.filter((v) => v.view.position.kind === 'number').flatMap((v) => v.points));

  const missing: MissingVolume[] = [];
  const seen = new Set<number>();
  for (const v of listed) {
    const open = v.points.filter((p) => !coveredByOwned(p));
    if (open.length === 0) continue;
    if (v.view.position.kind === 'range' && open.every((p) => singles.has(p))) continue;
    // Several listings at one place (a dramatised edition, another region's) are one missing volume:
    // the first by sort order (title, then ASIN) stands for it.
    const start = positionStart(v.view.position)!;
    if (v.view.position.kind === 'number') {
      if (seen.has(start)) continue;
      seen.add(start);
    }
    missing.push({
      sequence: v.view.sequence,
      position: start,
      asin: v.view.asin,
      title: v.view.title,
      inferred: false,
      novella: v.novella,
      upcoming: v.view.upcoming,
    });
  }

  if (inferGaps && !series.catalogueComplete) {
    let highest = 0;
    for (const v of owned) for (const p of v.points) if (isWhole(p) && p > highest) highest = p;
    const known = (point: number) => volumes.some((v) => covers(v.view.position, point));
    // Position 0 is a prequel: it exists only when someone lists it, so inference starts at 1.
    let run: number[] = [];
    const flush = () => {
      // A long run of unknown numbers means a numbering scheme (years, episode numbers), not
      // books the user forgot to buy: only short runs are inferred.
      if (run.length <= MAX_INFERRED_RUN) {
        for (const n of run) missing.push({ sequence: String(n), position: n, asin: null, title: null, inferred: true, novella: false, upcoming: false });
      }
      run = [];
    };
    for (let n = 1; n < highest; n++) {
      if (known(n)) flush();
      else run.push(n);
    }
    flush();
  }
  missing.sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity) || Number(a.inferred) - Number(b.inferred));
  return missing;
}
