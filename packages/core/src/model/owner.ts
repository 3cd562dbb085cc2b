import * as z from 'zod';
import { IsoDateTimeSchema, OwnerIdSchema } from './primitives.js';

/** Per-owner options that change how rules are applied. */
export const OwnerSettingsSchema = z.object({
  /** Count fractional positions (novellas such as 2.5) as required for caught_up / complete. */
  novellasRequired: z.boolean().default(false),
  /** Infer missing volumes from gaps between owned whole-number positions. */
  inferGaps: z.boolean().default(true),
});
export type OwnerSettings = z.infer<typeof OwnerSettingsSchema>;

export const OwnerSchema = z.object({
  id: OwnerIdSchema,
  displayName: z.string().nullable(),
  createdAt: IsoDateTimeSchema,
});
export type Owner = z.infer<typeof OwnerSchema>;

/**
 * A secret (Audible tokens, a Notion token), stored only as ciphertext produced outside the
 * store. The store never sees plaintext.
 */
export const CredentialBlobSchema = z.object({
  ownerId: OwnerIdSchema,
  /** e.g. `audible:us:me@example.com` or `notion`. */
  name: z.string().min(1),
  /** Opaque ciphertext (base64), with its own format and key id inside. */
  ciphertext: z.string().min(1),
  updatedAt: IsoDateTimeSchema,
});
export type CredentialBlob = z.infer<typeof CredentialBlobSchema>;
