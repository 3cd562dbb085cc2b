import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { IsoDateTimeSchema, type StoragePort } from '@sagasync/core';
import type { CredentialSealer } from '@sagasync/storage';
import * as z from 'zod';

/**
 * A user's Notion webhook connection: where Notion's subscription posts, and the verification token
 * its signatures are keyed with.
 *
 * Notion sends no bearer token, so the URL itself must name the owner: `/webhook/notion/<segment>`,
 * where the segment is `<owner id, base64url>.<32 random bytes, base64url>`. The owner id finds the
 * record (a setting of the owner's library store, so no directory table or index is needed and every
 * server instance sees it); the random part is the capability, kept only as its SHA-256 like API
 * tokens, and compared in constant time. The URL is shown once, when the connection is made.
 *
 * The verification token arrives unsigned in Notion's first POST; it is kept sealed with the
 * server's key as a credential of the owner (so `store copy --reencrypt` re-seals it), and accepted
 * until the first event signed with it arrives (then the connection is `verifiedAt`, and a new
 * handshake is refused: replacing the token would let whoever sent it sign events).
 */
export const NOTION_CONNECTION_SETTING = 'server.notion-webhook';
/** The credential (and seal) name of the verification token. */
export const NOTION_TOKEN_CREDENTIAL = 'notion-webhook-verification-token';

const ConnectionSchema = z.object({
  secretHash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: IsoDateTimeSchema,
  tokenReceivedAt: IsoDateTimeSchema.nullable(),
  verifiedAt: IsoDateTimeSchema.nullable(),
});
export type NotionConnectionRecord = z.infer<typeof ConnectionSchema>;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();
const SEGMENT = /^([A-Za-z0-9_-]{1,300})\.([A-Za-z0-9_-]{43})$/;

export function notionConnections(storage: StoragePort, sealer: CredentialSealer) {
  async function read(ownerId: string): Promise<NotionConnectionRecord | null> {
    const parsed = ConnectionSchema.safeParse(await storage.getSetting(ownerId, NOTION_CONNECTION_SETTING));
    return parsed.success ? parsed.data : null;
  }
  const write = (ownerId: string, record: NotionConnectionRecord) => storage.applyBatch(ownerId, [{ op: 'putSetting', key: NOTION_CONNECTION_SETTING, value: record }]);

  return {
    read,

    /** A new connection for the owner (any older one, and its token, stop working); its URL segment, once. */
    async register(ownerId: string, now: Date): Promise<{ segment: string; record: NotionConnectionRecord }> {
      const secret = randomBytes(32).toString('base64url');
      const record: NotionConnectionRecord = { secretHash: sha256(secret).toString('hex'), createdAt: now.toISOString(), tokenReceivedAt: null, verifiedAt: null };
      await storage.applyBatch(ownerId, [
        { op: 'putSetting', key: NOTION_CONNECTION_SETTING, value: record },
        { op: 'deleteCredential', name: NOTION_TOKEN_CREDENTIAL },
      ]);
      return { segment: `${Buffer.from(ownerId, 'utf8').toString('base64url')}.${secret}`, record };
    },

    async remove(ownerId: string): Promise<boolean> {
      const existed = (await read(ownerId)) !== null;
      await storage.applyBatch(ownerId, [
        { op: 'deleteSetting', key: NOTION_CONNECTION_SETTING },
        { op: 'deleteCredential', name: NOTION_TOKEN_CREDENTIAL },
      ]);
      return existed;
    },

    /**
     * The owner and connection a URL segment names, or null, whatever is wrong (malformed, no such
     * owner or connection, another secret): the caller answers all of them alike.
     */
    async find(segment: string): Promise<{ ownerId: string; record: NotionConnectionRecord } | null> {
      const match = SEGMENT.exec(segment);
      if (!match) return null;
      const ownerId = Buffer.from(match[1]!, 'base64url').toString('utf8');
      if (!ownerId || Buffer.from(ownerId, 'utf8').toString('base64url') !== match[1]) return null;
      const record = await read(ownerId);
      if (!record) return null;
      const given = sha256(match[2]!);
      return timingSafeEqual(given, Buffer.from(record.secretHash, 'hex')) ? { ownerId, record } : null;
    },

    async verificationToken(ownerId: string): Promise<string | null> {
      const stored = await storage.getCredential(ownerId, NOTION_TOKEN_CREDENTIAL);
      return stored ? String(await sealer.open(NOTION_TOKEN_CREDENTIAL, stored.ciphertext)) : null;
    },

    /**
     * Keeps the handshake's token, sealed, with the record saying when it came. False when the
     * connection was replaced meanwhile (re-read first, so an old URL's request cannot bring back
     * the old record over a new one).
     */
    async saveVerificationToken(ownerId: string, record: NotionConnectionRecord, token: string, now: Date): Promise<boolean> {
      const current = await read(ownerId);
      if (current?.secretHash !== record.secretHash) return false;
      const ciphertext = await sealer.seal(NOTION_TOKEN_CREDENTIAL, token);
      await storage.applyBatch(ownerId, [
        { op: 'putCredential', value: { name: NOTION_TOKEN_CREDENTIAL, ciphertext, updatedAt: now.toISOString() } },
        { op: 'putSetting', key: NOTION_CONNECTION_SETTING, value: { ...current, tokenReceivedAt: now.toISOString() } },
      ]);
      return true;
    },

    /** Notes the first event signed with the token (see above); a replaced connection is left alone. */
    async markVerified(ownerId: string, record: NotionConnectionRecord, now: Date): Promise<void> {
      const current = await read(ownerId);
      if (current?.secretHash !== record.secretHash || current.verifiedAt) return;
      await write(ownerId, { ...current, verifiedAt: now.toISOString() });
    },
  };
}

export type NotionConnections = ReturnType<typeof notionConnections>;
