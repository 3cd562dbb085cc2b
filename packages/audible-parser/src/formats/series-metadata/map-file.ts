import type { InputIssue } from '@sagasync/core';
import { seriesKeyFor } from '@sagasync/core';
import * as z from 'zod';
import type { IssueList } from '../../issues.js';
import { formatPath, zodIssues } from '../../json/json-path.js';
import type { RecordsBuilder } from '../../records/records-builder.js';
import { displayValue } from '../../values/parsed.js';
import { SeriesMetadataFileSchema, SeriesMetadataSeriesSchema, SeriesMetadataVolumeSchema } from './schema.js';
import { isVolumeProblem, volumeTitle } from './volume-title.js';

// The file is checked level by level, so one bad volume rejects that volume (with skip-invalid)
// rather than the whole file.
const EnvelopeSchema = SeriesMetadataFileSchema.extend({ series: z.array(z.unknown()) });
const SeriesShellSchema = SeriesMetadataSeriesSchema.extend({ volumes: z.array(z.unknown()) });

export interface SeriesMetadataOutcome {
  /** Volumes read (valid or not). */
  rows: number;
  /** Volumes or series rejected. */
  invalidRows: number;
  /** The envelope itself is unusable: nothing can be read. */
  fatal: boolean;
}

/**
 * SagaSync's series-metadata file -> every series as catalogue-complete, every volume as a title
 * (owned as the file says) with its membership. A volume listed in two series gets both.
 */
export function readSeriesMetadata(root: unknown, file: string, builder: RecordsBuilder, issues: IssueList, onRow: () => void): SeriesMetadataOutcome {
  const envelope = EnvelopeSchema.safeParse(root);
  if (!envelope.success) {
    for (const issue of zodIssues(envelope.error, root, '$', file)) issues.add(issue);
    return { rows: 0, invalidRows: 0, fatal: true };
  }
  let rows = 0;
  let invalidRows = 0;
  envelope.data.series.forEach((rawSeries, s) => {
    const seriesPath = `$.series[${s}]`;
    const shell = SeriesShellSchema.safeParse(rawSeries);
    if (!shell.success) {
      for (const issue of zodIssues(shell.error, rawSeries, seriesPath, file)) issues.add(issue);
      invalidRows++;
      return;
    }
    const series = shell.data;
    builder.addSeries({ key: seriesKeyFor(series.asin, series.title), asin: series.asin, title: series.title, catalogueComplete: series.complete ?? true });
    series.volumes.forEach((rawVolume, v) => {
      rows++;
      onRow();
      const volumePath = `${seriesPath}.volumes[${v}]`;
      const parsed = SeriesMetadataVolumeSchema.safeParse(rawVolume);
      if (!parsed.success) {
        for (const issue of zodIssues(parsed.error, rawVolume, volumePath, file)) issues.add(issue);
        invalidRows++;
        return;
      }
      const title = volumeTitle(parsed.data, series, builder, envelope.data.marketplace);
      if (isVolumeProblem(title)) {
        issues.add(locatedIssue(file, formatPath(volumePath, [title.field]), title.value, title.message));
        invalidRows++;
        return;
      }
      builder.addTitle(title);
    });
  });
  return { rows, invalidRows, fatal: false };
}

function locatedIssue(file: string, path: string, value: unknown, message: string): InputIssue {
  return { file, path, value: displayValue(value), message };
}
