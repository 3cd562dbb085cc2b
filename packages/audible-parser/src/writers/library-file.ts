import type { Progress, Series, Title, TitleRecord } from '@sagasync/core';
import type { SagasyncLibraryFile } from '../formats/sagasync-library/schema.js';

/** The store's titles, series and progress as SagaSync's own library file (full fidelity). */
export function buildLibraryFile(input: { titles: readonly Title[]; series: readonly Series[]; progress: readonly Progress[]; exportedAt: string }): SagasyncLibraryFile {
  const byAsin = (a: { asin: string }, b: { asin: string }) => (a.asin < b.asin ? -1 : a.asin > b.asin ? 1 : 0);
  return {
    format: 'sagasync-library',
    version: 1,
    exportedAt: input.exportedAt,
    titles: [...input.titles].sort(byAsin).map(
      (t): TitleRecord => ({
        asin: t.asin,
        title: t.title,
        subtitle: t.subtitle,
        authors: t.authors,
        narrators: t.narrators,
        runtimeMinutes: t.runtimeMinutes,
        releaseDate: t.releaseDate,
        purchaseDate: t.purchaseDate,
        coverUrl: t.coverUrl,
        language: t.language,
        marketplace: t.marketplace,
        sourceAccount: t.sourceAccount,
        owned: t.owned,
        isPodcast: t.isPodcast,
        contributors: t.contributors,
        forSale: t.forSale,
        series: t.series,
      }),
    ),
    series: [...input.series].sort((a, b) => (a.key < b.key ? -1 : 1)).map((s) => ({ key: s.key, asin: s.asin, title: s.title, catalogueComplete: s.catalogueComplete })),
    progress: [...input.progress].sort(byAsin).map((p) => ({
      asin: p.asin,
      percentComplete: p.percentComplete,
      isFinished: p.isFinished,
      finishedAt: p.finishedAt,
      lastPositionMs: p.lastPositionMs,
      observedAt: p.updatedAt,
    })),
  };
}
