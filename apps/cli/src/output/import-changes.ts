import type { ImportAnswer } from '@sagasync/api';
import type { Printer } from './printer.js';

/** Changes listed per section in text; `--json` lists up to the API's cap. */
export const LISTED_CHANGES = 20;

type Change = { action: string; changedFields: string[]; title?: string };
type Counts = { created: number; updated: number; unchanged: number };

/** What an import's JSON says it changed: the answer's lists, with names, and what they leave out. */
export function changesJson(answer: Pick<ImportAnswer, 'titles' | 'series' | 'progress' | 'omitted'>) {
  return { titles: answer.titles, series: answer.series, progress: answer.progress, omitted: answer.omitted };
}

export const NO_CHANGES = { titles: [], series: [], progress: [], omitted: { titles: 0, series: 0, progress: 0 } };

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/**
 * Which titles, series and progress rows an import creates or updates (or would), and which of
 * their fields change: the first 20 of each, then how many more.
 *
 *   Would create 3 titles:
 *     B0DEMO0001  “The Ember Throne”
 *   Would update 2 titles:
 *     B0DEMO0004  “Embers of the Last King” (runtimeMinutes, series)
 */
export function printChanges(out: Printer, answer: Pick<ImportAnswer, 'summary' | 'titles' | 'series' | 'progress'>, committed: boolean): void {
  const c = out.color;
  // Fields are said for updates; a created record has them all.
  const section = <T extends Change>(items: T[], total: number, heading: string, label: (item: T) => string) => {
    if (total === 0) return;
    out.line(c.bold(heading));
    const listed = items.slice(0, LISTED_CHANGES);
    for (const item of listed) {
      const fields = item.action === 'update' && item.changedFields.length > 0 ? c.dim(` (${item.changedFields.join(', ')})`) : '';
      out.fitLine(`  ${label(item)}${fields}`);
    }
    if (total > listed.length) out.line(c.dim(`  … and ${(total - listed.length).toLocaleString('en-US')} more${committed ? '' : ' (see --json)'}`));
  };
  const verb = (action: 'create' | 'update') => (committed ? (action === 'create' ? 'Created' : 'Updated') : action === 'create' ? 'Would create' : 'Would update');
  const title = (item: { asin: string; title?: string }) => `${item.asin}  ${item.title !== undefined ? `“${item.title}”` : c.dim('(title unknown)')}`;
  const series = (item: { key: string; title?: string }) => (item.title !== undefined ? `“${item.title}”` : item.key);
  const kinds: [Exclude<keyof Counts, 'unchanged'>, 'create' | 'update'][] = [
    ['created', 'create'],
    ['updated', 'update'],
  ];
  for (const [count, action] of kinds) {
    const n = answer.summary.titles[count];
    section(answer.titles.filter((t) => t.action === action), n, `${verb(action)} ${plural(n, 'title')}:`, title);
  }
  for (const [count, action] of kinds) {
    const n = answer.summary.series[count];
    section(answer.series.filter((s) => s.action === action), n, `${verb(action)} ${plural(n, 'series', 'series')}:`, series);
  }
  const progress = answer.summary.progress;
  if (progress.created + progress.updated > 0) {
    const n = progress.created + progress.updated;
    const heading = committed ? `Recorded the progress of ${plural(n, 'title')}:` : `Would record the progress of ${plural(n, 'title')}:`;
    section(answer.progress, n, heading, title);
  }
}
