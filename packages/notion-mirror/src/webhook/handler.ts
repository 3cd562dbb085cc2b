import * as z from 'zod';
import { verifyNotionSignature } from './verify-signature.js';

export interface WebhookRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The raw body exactly as received. */
  body: string | Uint8Array;
}

export interface WebhookResponse {
  status: number;
  body: Record<string, unknown>;
}

export interface NotionWebhookOptions {
  /** The subscription's verification token; null before the handshake. */
  verificationToken: string | null;
  /** Called with the token of Notion's handshake POST. Store it; it proves nothing by itself. */
  onVerificationToken?: (token: string) => Promise<void> | void;
  /** Pulls one changed page (e.g. `pullNotionPage`). */
  pullPage: (pageId: string) => Promise<unknown>;
  /** The integration's user id: events authored only by it are SagaSync's own writes. */
  botUserId?: string;
  /** Event ids already handled (Notion retries deliveries); defaults to an in-memory set of recent ids. */
  seen?: { has(id: string): boolean; add(id: string): unknown };
}

const EventSchema = z.object({
  id: z.string(),
  type: z.string(),
  timestamp: z.string().optional(),
  authors: z.array(z.object({ id: z.string(), type: z.string() })).optional(),
  entity: z.object({ id: z.string(), type: z.string() }),
});

const PAGE_EVENTS = new Set(['page.properties_updated', 'page.created', 'page.undeleted']);

const header = (headers: WebhookRequest['headers'], name: string): string | undefined => {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const v = key ? headers[key] : undefined;
  return Array.isArray(v) ? v[0] : v;
};

/** A bounded set, so a long-running server does not grow without limit. */
function recentIds(limit = 5000) {
  const ids = new Set<string>();
  return {
    has: (id: string) => ids.has(id),
    add: (id: string) => {
      ids.add(id);
      if (ids.size > limit) ids.delete(ids.values().next().value!);
    },
  };
}

/**
 * Transport-agnostic webhook handler (the server and the Lambda adapt their request to it):
 * stores the handshake token, rejects unsigned or mis-signed deliveries with 401, ignores
 * duplicates and SagaSync's own writes, and pulls the page a page event names.
 */
export function createNotionWebhookHandler(options: NotionWebhookOptions): (request: WebhookRequest) => Promise<WebhookResponse> {
  const seen = options.seen ?? recentIds();
  return async (request) => {
    const text = typeof request.body === 'string' ? request.body : Buffer.from(request.body).toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { status: 400, body: { error: 'invalid_json' } };
    }
    const handshake = z.object({ verification_token: z.string().min(1) }).safeParse(json);
    if (handshake.success && !(json as { type?: unknown }).type) {
      await options.onVerificationToken?.(handshake.data.verification_token);
      return { status: 200, body: { received: 'verification_token' } };
    }
    if (!options.verificationToken || !verifyNotionSignature(request.body, header(request.headers, 'x-notion-signature'), options.verificationToken)) {
      return { status: 401, body: { error: 'invalid_signature' } };
    }
    const event = EventSchema.safeParse(json);
    if (!event.success) return { status: 400, body: { error: 'invalid_event' } };
    const { id, type, entity, authors } = event.data;
    if (seen.has(id)) return { status: 200, body: { ignored: 'duplicate', id } };
    seen.add(id);
    if (!PAGE_EVENTS.has(type) || entity.type !== 'page') return { status: 200, body: { ignored: type } };
    if (options.botUserId && authors && authors.length > 0 && authors.every((a) => a.id === options.botUserId)) {
      return { status: 200, body: { ignored: 'own_write' } };
    }
    await options.pullPage(entity.id);
    return { status: 200, body: { pulled: entity.id } };
  };
}
