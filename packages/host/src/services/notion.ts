import type { ApiContext, ApiServices } from '@sagasync/api';
import { SagaSyncError, type StoragePort } from '@sagasync/core';
import type { RateLimiter } from '@sagasync/notion-mirror';
import type { CredentialSealer } from '@sagasync/storage';
import * as z from 'zod';

const mirror = () => import('@sagasync/notion-mirror');

/**
 * A user's Notion connection: their integration token, sealed with the server's key among the
 * user's library credentials under this name (the blob format of the CLI's credential vault).
 */
export const NOTION_CREDENTIAL = 'notion';
const ConnectionSchema = z.union([z.object({ token: z.string().min(1) }), z.string().min(1).transform((token) => ({ token }))]);

export async function saveNotionConnection(storage: StoragePort, sealer: CredentialSealer, ownerId: string, connection: { token: string }, now: Date): Promise<void> {
  const ciphertext = await sealer.seal(NOTION_CREDENTIAL, { token: connection.token });
  await storage.applyBatch(ownerId, [{ op: 'putCredential', value: { name: NOTION_CREDENTIAL, ciphertext, updatedAt: now.toISOString() } }]);
}

/** The user's Notion token, or null when they have not connected Notion. */
export async function readNotionConnection(storage: StoragePort, sealer: CredentialSealer, ownerId: string): Promise<{ token: string } | null> {
  const stored = await storage.getCredential(ownerId, NOTION_CREDENTIAL);
  if (!stored) return null;
  const parsed = ConnectionSchema.safeParse(await sealer.open(NOTION_CREDENTIAL, stored.ciphertext));
  if (!parsed.success) throw new SagaSyncError('config_missing', 'the stored Notion connection is unreadable; store the Notion token again', { details: { location: NOTION_CREDENTIAL } });
  return parsed.data;
}

export interface NotionServiceOptions {
  sealer: CredentialSealer;
  /**
   * The deployment's own integration token (the AWS deployment keeps one in Secrets Manager), for
   * users who stored none; a user's stored token always wins.
   */
  fallbackToken?: string | null;
  baseUrl?: string;
  requestsPerSecond: number;
}

/**
 * The Notion services of the API for the users who stored a Notion token: push (a job), status,
 * and applying a webhook's page event. Every call of one user shares one rate limiter in this
 * instance, so a scheduled mirror and webhook pulls together stay within Notion's limit.
 */
export function createHostNotionServices(options: NotionServiceOptions): Pick<ApiServices, 'notionPush' | 'notionStatus' | 'notionWebhook'> {
  const limiters = new Map<string, RateLimiter>();

  async function connection(ctx: ApiContext) {
    const stored = (await readNotionConnection(ctx.storage, options.sealer, ctx.ownerId)) ?? (options.fallbackToken ? { token: options.fallbackToken } : null);
    if (!stored) {
      throw new SagaSyncError('config_missing', 'Notion is not connected for this user: store a Notion integration token first', { details: { location: 'notion', reason: 'notion_not_connected' } });
    }
    const { createRateLimiter, systemClock } = await mirror();
    let limiter = limiters.get(ctx.ownerId);
    if (!limiter) limiters.set(ctx.ownerId, (limiter = createRateLimiter({ requestsPerSecond: options.requestsPerSecond, clock: systemClock })));
    return { token: stored.token, requestsPerSecond: options.requestsPerSecond, limiter, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) };
  }

  return {
    async notionPush(ctx, input) {
      const { pushToNotion } = await mirror();
      const result = await pushToNotion({ storage: ctx.storage, ownerId: ctx.ownerId, clock: ctx.clock, log: ctx.log, notion: await connection(ctx) }, {
        dryRun: input.dryRun,
        deadline: input.deadline,
        cursor: input.cursor ?? null,
      });
      return JSON.parse(JSON.stringify(result)) as unknown;
    },
    async notionStatus(ctx) {
      const { loadDatabases } = await mirror();
      const [stored, databases, books, series] = await Promise.all([
        ctx.storage.getCredential(ctx.ownerId, NOTION_CREDENTIAL),
        loadDatabases(ctx.storage, ctx.ownerId),
        ctx.storage.listMirrorRecords(ctx.ownerId, { table: 'books' }),
        ctx.storage.listMirrorRecords(ctx.ownerId, { table: 'series' }),
      ]);
      return {
        connected: stored !== null,
        configured: databases !== null,
        databases: databases ? { books: databases.books.databaseId, series: databases.series.databaseId } : null,
        mirrored: { books: books.items.length, series: series.items.length },
      };
    },
    async notionWebhook(ctx, event) {
      const parsed = z.object({ type: z.string(), entity: z.object({ id: z.string(), type: z.string() }) }).safeParse(event);
      if (!parsed.success) return { ignored: 'not_a_page_event' };
      const { type, entity } = parsed.data;
      if (entity.type !== 'page' || !['page.properties_updated', 'page.created', 'page.undeleted'].includes(type)) return { ignored: type };
      const { pullNotionPage } = await mirror();
      const pulled = await pullNotionPage({ storage: ctx.storage, ownerId: ctx.ownerId, clock: ctx.clock, log: ctx.log, notion: await connection(ctx) }, entity.id);
      return { pulled: entity.id, applied: pulled.events.length };
    },
  };
}
