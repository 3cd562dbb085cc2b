import { hash } from 'node:crypto';
import { toJSONSchema, type ZodType } from 'zod';

/**
 * Row digests: what lets a read trust a row without validating it again.
 *
 * Every row the adapter writes has passed core's schema first; its digest is a hash of the JSON
 * it wrote, keyed by a fingerprint of that schema. On read, a row whose digest still matches is
 * byte for byte what was validated under the same schema, so the schema check is skipped (it is
 * most of the cost of reading a large library). Any other row, edited by hand, damaged, written
 * before digests existed or under another schema, is validated in full as before.
 *
 * This guards against accident, not against someone who rewrites the file on purpose: they can
 * write anything anyway. The fingerprint is the schema's JSON Schema, so a schema that gains or
 * changes a field invalidates every digest made under the old one.
 */
export class RowDigest {
  private key: string | null = null;

  constructor(private readonly schema: ZodType) {}

  /** The digest of a row's `data` column. */
  of(data: string): string {
    this.key ??= hash('sha256', JSON.stringify(toJSONSchema(this.schema, { unrepresentable: 'any' })), 'base64url');
    // 128 bits: enough to tell an edited row from the one that was written.
    return hash('sha256', this.key + data, 'base64url').slice(0, 22);
  }

  /** True when `digest` was made from `data` under this schema. */
  matches(data: string, digest: string | null | undefined): boolean {
    return typeof digest === 'string' && digest.length === 22 && digest === this.of(data);
  }
}
