import type { SeriesView } from '../series/derive-series-status.js';
import type { UseCaseDeps } from './deps.js';
import { loadSeriesViews, resolveRuleOptions, type SeriesReportOptions } from './series-context.js';

/**
 * Every series the library refers to, with status, missing volumes, next up and next to buy,
 * sorted by series title. Read-only. Options default from the owner's `rules` setting.
 */
export async function buildSeriesReport(deps: UseCaseDeps, options: SeriesReportOptions = {}): Promise<SeriesView[]> {
  return loadSeriesViews(deps, await resolveRuleOptions(deps, options));
}
