import type { ListeningStatus, Page, StatusCounts, Title, TitleFilter, TitleQuery } from '@sagasync/core';
import { pageFrom, parsePageRequest } from '@sagasync/storage';
import { ATTR, keys } from './items.js';
import { asinOfSortKey, partition, TAGS } from './keys.js';
import { pageSizes, type Filter } from './list-page.js';
import type { SeriesHints } from './series-hints.js';
import { names, projectionOf, type Item, type QueryInput, type TableClient } from './table-client.js';

/** Titles checked per BatchGetItem when candidates come from an index (its limit). */
const CHECK_CHUNK = 100;

/**
 * Title reads. A title's listening status lives in its progress row (a title without one is
 * `not_started`), and its series in its own item, so each filter has its own way in:
 * - series: the membership hints (one Query per series key), each candidate checked against the
 *   title itself, which is the truth the hints only point at;
 * - `in_progress` / `finished`: the progress rows with that status, then those titles;
 * - otherwise the title partition in ASIN order (`owned` as a filter), `not_started` dropping the
 *   titles whose progress rows in the same ASIN range say otherwise.
 * Every read is strongly consistent.
 */
export class TitleReads {
  constructor(
    private readonly table: TableClient,
    private readonly hints: SeriesHints,
    private readonly decode: (owner: string, item: Item) => Title,
  ) {}

  async get(owner: string, asin: string): Promise<Title | null> {
    const item = await this.table.get('getTitle', keys.title(owner, asin));
    return item && this.decode(owner, item);
  }

  async getMany(method: string, owner: string, asins: readonly string[]): Promise<Title[]> {
    const found = await this.table.batchGet(
      method,
      asins.map((asin) => keys.title(owner, asin)),
    );
    return found.map((item) => this.decode(owner, item));
  }

  async list(owner: string, query: TitleQuery = {}): Promise<Page<Title>> {
    const { limit, after } = parsePageRequest(query, 1);
    const wanted = limit === undefined ? undefined : limit + 1;
    const afterAsin = after ? String(after[0]) : null;
    const owned = (title: Title) => query.owned === undefined || title.owned === query.owned;
    let titles: Title[];
    if (query.seriesKeys !== undefined) {
      const wantedSeries = new Set(query.seriesKeys);
      const inSeries = (title: Title) => owned(title) && title.series.some((membership) => wantedSeries.has(membership.seriesKey));
      titles = await this.listBySeries(owner, query.seriesKeys, afterAsin, wanted, inSeries, query.status);
    } else if (query.status === 'in_progress' || query.status === 'finished') {
      titles = await this.listByProgress(owner, query.status, afterAsin, wanted, owned);
    } else {
      titles = await this.walk(owner, query.owned, query.status === 'not_started', afterAsin, wanted);
    }
    return pageFrom(titles, limit, (title) => [title.asin]);
  }

  /** `Select: COUNT` over the title partition: nothing comes back, but every title item read is paid for. */
  async count(owner: string, filter: TitleFilter = {}): Promise<number> {
    const owned = ownedFilter(filter.owned);
    return this.table.count('countTitles', {
      ConsistentRead: true,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'pk', ...owned?.names },
      ExpressionAttributeValues: { ':pk': partition(owner, TAGS.title), ...owned?.values },
      ...(owned ? { FilterExpression: owned.expression } : {}),
    });
  }

  /** The titles' ASINs and the started progress rows, two Queries returning keys only, joined here. */
  async countByStatus(owner: string, filter: TitleFilter = {}): Promise<StatusCounts> {
    const owned = ownedFilter(filter.owned);
    const [asins, started] = await Promise.all([
      this.collectKeys('countTitlesByStatus', {
        ConsistentRead: true,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk', ...owned?.names },
        ExpressionAttributeValues: { ':pk': partition(owner, TAGS.title), ...owned?.values },
        ProjectionExpression: '#sk',
        ...(owned ? { FilterExpression: owned.expression } : {}),
      }),
      this.startedStatuses('countTitlesByStatus', owner),
    ]);
    const counts: StatusCounts = { not_started: 0, in_progress: 0, finished: 0 };
    for (const asin of asins) counts[started.get(asin) ?? 'not_started']++;
    return counts;
  }

  private async listBySeries(
    owner: string,
    seriesKeys: readonly string[],
    afterAsin: string | null,
    wanted: number | undefined,
    accept: (title: Title) => boolean,
    status: ListeningStatus | undefined,
  ): Promise<Title[]> {
    const candidates = (await this.hints.candidates('listTitles', owner, seriesKeys)).filter((asin) => afterAsin === null || asin > afterAsin);
    const found: Title[] = [];
    for (let start = 0; start < candidates.length; start += CHECK_CHUNK) {
      let titles = await this.existing(owner, candidates.slice(start, start + CHECK_CHUNK), accept);
      if (status !== undefined) {
        const statuses = await this.statusesOf(owner, titles.map((title) => title.asin));
        titles = titles.filter((title) => (statuses.get(title.asin) ?? 'not_started') === status);
      }
      found.push(...titles);
      if (wanted !== undefined && found.length >= wanted) return found.slice(0, wanted);
    }
    return found;
  }

  private async listByProgress(owner: string, status: ListeningStatus, afterAsin: string | null, wanted: number | undefined, accept: (title: Title) => boolean): Promise<Title[]> {
    const found: Title[] = [];
    const input: QueryInput = {
      ConsistentRead: true,
      KeyConditionExpression: '#pk = :pk',
      FilterExpression: '#st = :status',
      ExpressionAttributeNames: names('pk', 'sk', ATTR.status),
      ExpressionAttributeValues: { ':pk': partition(owner, TAGS.progress), ':status': status },
      ProjectionExpression: '#sk',
      ...(afterAsin !== null ? { ExclusiveStartKey: keys.progress(owner, afterAsin) } : {}),
    };
    for await (const page of this.table.query('listTitles', input, pageSizes(wanted, true, () => found.length))) {
      found.push(...(await this.existing(owner, page.map((item) => asinOfSortKey(item.sk as string)), accept)));
      if (wanted !== undefined && found.length >= wanted) return found.slice(0, wanted);
    }
    return found;
  }

  private async walk(owner: string, ownedOnly: boolean | undefined, notStarted: boolean, afterAsin: string | null, wanted: number | undefined): Promise<Title[]> {
    const owned = ownedFilter(ownedOnly);
    const found: Title[] = [];
    const input: QueryInput = {
      ConsistentRead: true,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'pk', ...owned?.names },
      ExpressionAttributeValues: { ':pk': partition(owner, TAGS.title), ...owned?.values },
      ...(owned ? { FilterExpression: owned.expression } : {}),
      ...(afterAsin !== null ? { ExclusiveStartKey: keys.title(owner, afterAsin) } : {}),
    };
    for await (const page of this.table.query('listTitles', input, pageSizes(wanted, owned !== null || notStarted, () => found.length))) {
      let titles = page.map((item) => this.decode(owner, item));
      if (notStarted && titles.length > 0) {
        const started = await this.startedStatuses('listTitles', owner, [titles[0]!.asin, titles[titles.length - 1]!.asin]);
        titles = titles.filter((title) => !started.has(title.asin));
      }
      found.push(...titles);
      if (wanted !== undefined && found.length >= wanted) return found.slice(0, wanted);
    }
    return found;
  }

  /** The titles among `asins` that exist and pass `accept`, in the order of `asins`. */
  private async existing(owner: string, asins: readonly string[], accept: (title: Title) => boolean): Promise<Title[]> {
    if (asins.length === 0) return [];
    const byAsin = new Map((await this.getMany('listTitles', owner, asins)).map((title) => [title.asin, title]));
    return asins.map((asin) => byAsin.get(asin)).filter((title): title is Title => title !== undefined && accept(title));
  }

  /** The status of each of `asins` that has a progress row (BatchGetItem: a few titles of a few series). */
  private async statusesOf(owner: string, asins: readonly string[]): Promise<Map<string, ListeningStatus>> {
    if (asins.length === 0) return new Map();
    const rows = await this.table.batchGet(
      'listTitles',
      asins.map((asin) => keys.progress(owner, asin)),
      ['sk', ATTR.status],
    );
    return new Map(rows.map((row) => [asinOfSortKey(row.sk as string), row[ATTR.status] as ListeningStatus]));
  }

  /** ASIN to status of the progress rows that are in progress or finished, all of them or those in an ASIN range. */
  private async startedStatuses(method: string, owner: string, range?: readonly [string, string]): Promise<Map<string, ListeningStatus>> {
    const started = new Map<string, ListeningStatus>();
    const input: QueryInput = {
      ConsistentRead: true,
      KeyConditionExpression: range ? '#pk = :pk AND #sk BETWEEN :from AND :to' : '#pk = :pk',
      FilterExpression: '#st <> :notStarted',
      ExpressionAttributeNames: names('pk', 'sk', ATTR.status),
      ExpressionAttributeValues: {
        ':pk': partition(owner, TAGS.progress),
        ':notStarted': 'not_started',
        ...(range ? { ':from': keys.progress(owner, range[0]).sk, ':to': keys.progress(owner, range[1]).sk } : {}),
      },
      ProjectionExpression: projectionOf(['sk', ATTR.status]),
    };
    for await (const page of this.table.query(method, input)) {
      for (const row of page) started.set(asinOfSortKey(row.sk as string), row[ATTR.status] as ListeningStatus);
    }
    return started;
  }

  private async collectKeys(method: string, input: QueryInput): Promise<string[]> {
    const asins: string[] = [];
    for await (const page of this.table.query(method, input)) for (const item of page) asins.push(asinOfSortKey(item.sk as string));
    return asins;
  }
}

function ownedFilter(owned: boolean | undefined): Filter | null {
  return owned === undefined ? null : { expression: '#own = :owned', names: names(ATTR.owned), values: { ':owned': owned } };
}
