import { dumpLines, type OwnerDump } from '@sagasync/storage';

/**
 * A clock for an import compared with another: it starts in 2099 and ticks a millisecond a call,
 * so every time the store stamps (createdAt, updatedAt, a run's startedAt and finishedAt) is later
 * than any date of a test's library, and is told apart from the library's own dates by that alone.
 */
export const RUN_START = Date.parse('2099-01-01T00:00:00.000Z');
export function runClock(): () => Date {
  let ms = RUN_START;
  return () => new Date(ms++);
}
export const isRunTime = (value: unknown) => typeof value === 'string' && /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(value) && Date.parse(value) >= RUN_START;

/**
 * The dump with what differs by nature between two imports of one file normalised, and nothing
 * else. On the 5,000-title audible-cli file that is exactly:
 * - times the store stamps when it writes: `createdAt` and `updatedAt` of titles and series;
 *   `startedAt`, `changedAt` and `updatedAt` of progress rows and `at` of history entries (an
 *   audible-cli export says how far a title is, not when, so the import dates what it applies
 *   "now"); `startedAt` and `finishedAt` of the sync run: each reads `<now>`;
 * - a history entry's id, derived from its `at` (so from the time of the import): `<history>`;
 * - the sync run's id (the workflow's is the job's id, the CLI's a fresh ULID): `<run>`.
 * A time counts as the run's when it is on the test clocks (2099 on); the file's own dates are all
 * before 2026. Titles, series, memberships, aliases, progress values, history values, baselines,
 * settings and every other key must match exactly.
 */
export function normalisedDump(dump: OwnerDump): string[] {
  const replaceTimes = (value: unknown): unknown => JSON.parse(JSON.stringify(value), (_key, v: unknown) => (isRunTime(v) ? '<now>' : v));
  const records = dump.records.map((record) => {
    const data = replaceTimes(record.data) as Record<string, unknown>;
    if (record.kind === 'syncRuns') return { ...record, key: '<run>', data: { ...data, id: '<run>' } };
    if (record.kind === 'history' && data.at === '<now>') return { ...record, key: `${String(data.asin)} <history>`, data: { ...data, id: '<history>' } };
    return { ...record, data };
  });
  return dumpLines({ records }).sort();
}
