import type { ApiServices } from '../http/context.js';

/** How to reach Notion: the host's settings (`NOTION_TOKEN`, another base URL, a rate). */
export interface NotionConnection {
  token: string;
  baseUrl?: string;
  requestsPerSecond?: number;
}

/**
 * The Notion services over @sagasync/notion-mirror, loaded when a Notion route runs: a push (one
 * call, within `deadline` when the host gives one; the answer says whether it is `done` and the
 * cursor to go on), and the mirror's status (databases in use, pages mirrored).
 */
export function createNotionServices(connection: NotionConnection): Pick<ApiServices, 'notionPush' | 'notionStatus'> {
  const mirror = () => import('@sagasync/notion-mirror');
  return {
    async notionPush(ctx, input) {
      const { pushToNotion } = await mirror();
      const result = await pushToNotion({ ...ctx, notion: connection }, { dryRun: input.dryRun, deadline: input.deadline, cursor: input.cursor ?? null });
      return JSON.parse(JSON.stringify(result)) as unknown;
    },
    async notionStatus(ctx) {
      const { loadDatabases } = await mirror();
      const [databases, books, series] = await Promise.all([
        loadDatabases(ctx.storage, ctx.ownerId),
        ctx.storage.listMirrorRecords(ctx.ownerId, { table: 'books' }),
        ctx.storage.listMirrorRecords(ctx.ownerId, { table: 'series' }),
      ]);
      return {
        configured: databases !== null,
        databases: databases ? { books: databases.books.databaseId, series: databases.series.databaseId } : null,
        mirrored: { books: books.items.length, series: series.items.length },
      };
    },
  };
}
