import { applyInChunks, type Progress, type SeriesData, type StoragePort, type Title, type TitleData } from '@sagasync/core';
import { createMemoryStorage } from '@sagasync/storage';
import { startFakeNotion, type FakeNotion, type FakeNotionOptions } from '@sagasync/fake-notion';
import type { MirrorRules, NotionListeningEvent } from '../src/apply/rules.js';
import type { SeriesViewLike } from '../src/plan/desired-values.js';
import type { NotionConnectionOptions } from '../src/client/notion-gateway.js';
import { setupNotion } from '../src/schema/setup.js';

export const OWNER = 'local';
const NOW = '2024-05-01T10:00:00.000Z';

export function asinOf(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(10 - prefix.length, '0')}`;
}

/**
 * A library of `titles` titles spread over `series` series; every fifth volume is synthetic
 * (known from series metadata, not owned). Series keys are the series ASINs.
 */
export function library(titles: number, series: number): { titles: TitleData[]; series: SeriesData[] } {
  const seriesData: SeriesData[] = Array.from({ length: series }, (_, i) => ({
    key: asinOf('S', i + 1),
    asin: asinOf('S', i + 1),
    title: `Saga ${i + 1}`,
    catalogueComplete: true,
    createdAt: NOW,
    updatedAt: NOW,
  }));
  const titleData: TitleData[] = Array.from({ length: titles }, (_, i) => {
    const s = series > 0 ? seriesData[i % series]! : undefined;
    const position = Math.floor(i / Math.max(1, series)) + 1;
    return {
      asin: asinOf('B', i + 1),
      title: `Book ${i + 1}`,
      subtitle: null,
      authors: [`Author ${i % 7}`],
      narrators: [`Narrator ${i % 5}`],
      runtimeMinutes: 300 + i,
      releaseDate: '2020-01-01',
      purchaseDate: i % 5 === 4 ? null : '2021-02-03',
      coverUrl: `https://m.media-amazon.com/images/I/${i + 1}.jpg`,
      language: 'english',
      marketplace: 'us',
      sourceAccount: null,
      owned: i % 5 !== 4,
      isPodcast: false, contributors: [], forSale: null,
      series: s ? [{ seriesKey: s.key, seriesAsin: s.asin, seriesTitle: s.title, sequence: String(position), position: { kind: 'number' as const, value: position } }] : [],
      createdAt: NOW,
      updatedAt: NOW,
    };
  });
  return { titles: titleData, series: seriesData };
}

/** DynamoDB's batch limit: every test store refuses larger batches, as DynamoDB would. */
export const BATCH_LIMIT = 100;

export async function seededStorage(titles: number, series: number): Promise<StoragePort> {
  const storage = createMemoryStorage({ limits: { maxOperationsPerBatch: BATCH_LIMIT } });
  const lib = library(titles, series);
  await applyInChunks(storage, OWNER, [...lib.series.map((value) => [{ op: 'putSeries' as const, value }]), ...lib.titles.map((value) => [{ op: 'putTitle' as const, value }])]);
  return storage;
}

/**
 * A small, explicit stand-in for core's series report and listening-event use case, so these
 * tests pin the mirror's behaviour and not core's rules.
 */
export const testRules: MirrorRules & { events: NotionListeningEvent[] } = {
  events: [],
  async seriesReport(storage, ownerId) {
    const [series, titles, progress] = await Promise.all([storage.listSeries(ownerId).then((page) => page.items), storage.listTitles(ownerId).then((page) => page.items), storage.listProgress(ownerId).then((page) => page.items)]);
    const done = new Set(progress.filter((p) => p.isFinished).map((p) => p.asin));
    return series.map((s): SeriesViewLike => {
      const volumes = titles
        .flatMap((t) => t.series.filter((m) => m.seriesKey === s.key).map((m) => ({ t, pos: m.position.kind === 'number' ? m.position.value : 0, seq: m.sequence })))
        .sort((a, b) => a.pos - b.pos);
      const owned = volumes.filter((v) => v.t.owned);
      const finished = owned.filter((v) => done.has(v.t.asin));
      const missing = volumes.filter((v) => !v.t.owned);
      const next = owned.find((v) => !done.has(v.t.asin));
      const buy = missing[0];
      const status = finished.length === 0 ? 'not_started' : finished.length < owned.length ? 'in_progress' : missing.length > 0 ? 'caught_up' : 'complete';
      return {
        key: s.key,
        title: s.title,
        status,
        ownedCount: owned.length,
        finishedCount: finished.length,
        missing,
        nextUp: next ? { title: next.t.title, sequence: next.seq } : null,
        nextToBuy: buy ? { title: buy.t.title, sequence: buy.seq } : null,
      };
    });
  },
  async applyListeningEvent(storage, ownerId, event) {
    testRules.events.push(event);
    const current = await storage.getProgress(ownerId, event.asin);
    const percent = event.kind === 'finished' ? 100 : event.kind === 'reset' ? 0 : (event.percent ?? current?.percentComplete ?? 0);
    const isFinished = event.kind === 'finished' || (event.kind === 'progress' && (current?.isFinished ?? false));
    const status: Progress['status'] = isFinished ? 'finished' : percent > 0 || event.kind === 'started' ? 'in_progress' : 'not_started';
    await storage.applyBatch(ownerId, [
      {
        op: 'putProgress',
        value: {
          asin: event.asin,
          status,
          percentComplete: isFinished ? 100 : percent,
          isFinished,
          startedAt: current?.startedAt ?? (status === 'not_started' ? null : NOW),
          finishedAt: isFinished ? (current?.finishedAt ?? NOW) : null,
          lastPositionMs: null,
          finishCount: isFinished ? 1 : 0,
          updatedAt: NOW,
        },
      },
    ]);
  },
};

export interface World {
  fake: FakeNotion;
  storage: StoragePort;
  notion: NotionConnectionOptions;
  deps: { storage: StoragePort; ownerId: string; notion: NotionConnectionOptions; rules: MirrorRules };
  booksDs: string;
  seriesDs: string;
  close(): Promise<void>;
}

/** A fake Notion with the two databases set up and a seeded memory store, at a fast request rate. */
export async function world(titles: number, series: number, fakeOptions: FakeNotionOptions = {}, notionExtra: Partial<NotionConnectionOptions> = {}): Promise<World> {
  const fake = await startFakeNotion(fakeOptions);
  const storage = await seededStorage(titles, series);
  const notion: NotionConnectionOptions = { token: fake.token, baseUrl: fake.url, requestsPerSecond: 1000, initialBackoffMs: 1, ...notionExtra };
  const parent = fake.state.addParentPage();
  const { databases } = await setupNotion({ storage, ownerId: OWNER, notion }, { parentPageId: parent });
  fake.resetStats();
  return {
    fake,
    storage,
    notion,
    deps: { storage, ownerId: OWNER, notion, rules: testRules },
    booksDs: databases.books.dataSourceId,
    seriesDs: databases.series.dataSourceId,
    close: () => fake.close(),
  };
}

/** Books pages by ASIN, as plain values; fails the test on duplicates by returning arrays. */
export function booksByAsin(w: World): Map<string, Record<string, unknown>[]> {
  const out = new Map<string, Record<string, unknown>[]>();
  for (const page of w.fake.state.listPages(w.booksDs)) {
    const values: Record<string, unknown> = { ...w.fake.state.plainValues(page), id: page.id };
    const asin = values.ASIN as string;
    out.set(asin, [...(out.get(asin) ?? []), values]);
  }
  return out;
}

export type { Title };

/**
 * The push's store and Notion connection as a process that dies right after its `creates`-th page
 * create succeeded in Notion: that request throws, and no store write lands after it.
 */
export function dyingAfterCreates(w: World, creates: number): { storage: StoragePort; notion: NotionConnectionOptions } {
  let dead = false;
  let made = 0;
  const storage = new Proxy(w.storage, {
    get(target, prop, receiver) {
      if (prop === 'applyBatch') {
        return (...args: Parameters<typeof target.applyBatch>) => (dead ? Promise.reject(new Error('process died')) : target.applyBatch(...args));
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  const notion = {
    ...w.notion,
    onRequest: (e: { operation: string; outcome: string }) => {
      if (e.operation === 'create page' && e.outcome === 'ok' && ++made === creates) {
        dead = true;
        throw new Error('killed');
      }
    },
  };
  return { storage, notion };
}
