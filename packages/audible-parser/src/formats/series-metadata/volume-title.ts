import type { Contributor, TitleRecord } from '@sagasync/core';
import type { RecordsBuilder } from '../../records/records-builder.js';
import { splitCredits } from '../../values/credits.js';
import { parseCalendarDate } from '../../values/dates.js';
import { Invalid } from '../../values/parsed.js';
import type { SeriesMetadataVolume } from './schema.js';

/** A volume's field that could not be read. */
export interface VolumeProblem {
  field: keyof SeriesMetadataVolume;
  value: unknown;
  message: string;
}

/**
 * One volume of a series (from a series-metadata file, or Audible's series catalogue during a live
 * sync) -> a title with its membership of that series, owned as the volume says. The one place a
 * volume becomes a title, so a volume reads the same whichever path it came by.
 */
export function volumeTitle(
  volume: SeriesMetadataVolume,
  series: { asin: string | null; title: string },
  builder: RecordsBuilder,
  marketplace: string | null | undefined,
): TitleRecord | VolumeProblem {
  const releaseDate = volume.releaseDate == null ? volume.releaseDate : parseCalendarDate(volume.releaseDate);
  if (releaseDate instanceof Invalid) return { field: 'releaseDate', value: volume.releaseDate, message: releaseDate.message };
  // Audible's catalogue credits translators and the like among the authors (`X - translator`).
  const names = volume.authors.filter((a) => a.trim() !== '');
  const credits = splitCredits(names);
  const contributors = uniqueContributors([...(credits?.contributors ?? []), ...(volume.contributors ?? [])]);
  const title: TitleRecord = {
    asin: volume.asin,
    title: volume.title,
    subtitle: volume.subtitle ?? null,
    authors: credits?.authors ?? names,
    narrators: volume.narrators.filter((n) => n.trim() !== ''),
    runtimeMinutes: volume.runtimeMinutes ?? null,
    releaseDate: releaseDate ?? null,
    coverUrl: volume.coverUrl ?? null,
    marketplace: marketplace ?? undefined,
    owned: volume.owned,
    series: [builder.membership(series.asin, series.title, volume.sequence)],
  };
  if (volume.language !== undefined) title.language = volume.language;
  if (volume.isPodcast !== undefined) title.isPodcast = volume.isPodcast;
  if (contributors.length > 0) title.contributors = contributors;
  if (typeof volume.forSale === 'boolean') title.forSale = volume.forSale;
  return title;
}

function uniqueContributors(list: readonly Contributor[]): Contributor[] {
  const seen = new Set<string>();
  return list.filter((c) => {
    const key = `${c.name}\u0000${c.role}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export const isVolumeProblem = (value: TitleRecord | VolumeProblem): value is VolumeProblem => 'field' in value;
