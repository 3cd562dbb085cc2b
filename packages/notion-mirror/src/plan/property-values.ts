import { createHash } from 'node:crypto';

/**
 * Property values in Notion's request shape, in one canonical form, so the value SagaSync wants
 * and the value read back from a page hash the same when they mean the same.
 */
export type PropertyValue =
  | { title: { text: { content: string } }[] }
  | { rich_text: { text: { content: string } }[] }
  | { number: number | null }
  | { select: { name: string } | null }
  /** Notion's native status property (options in groups); written and read as `{ status: { name } }`. */
  | { status: { name: string } | null }
  | { checkbox: boolean }
  | { date: { start: string } | null }
  | { files: { name: string; external: { url: string } }[] }
  | { relation: { id: string }[] };

export type PropertyValues = Record<string, PropertyValue>;

const MAX_CHUNK = 2000;
const MAX_ITEMS = 100;

/** Splits text into items of at most 2000 UTF-16 units (Notion's limit), never inside a surrogate pair; at most 100 items. */
function chunks(text: string): { text: { content: string } }[] {
  const out: { text: { content: string } }[] = [];
  let current = '';
  for (const ch of text) {
    if (current.length + ch.length > MAX_CHUNK) {
      out.push({ text: { content: current } });
      current = '';
      if (out.length === MAX_ITEMS) return out;
    }
    current += ch;
  }
  if (current !== '') out.push({ text: { content: current } });
  return out;
}

export const titleValue = (text: string): PropertyValue => ({ title: chunks(text) });
export const textValue = (text: string | null | undefined): PropertyValue => ({ rich_text: chunks(text ?? '') });
export const numberValue = (n: number | null | undefined): PropertyValue => ({ number: n ?? null });
export const selectValue = (name: string | null): PropertyValue => ({ select: name === null ? null : { name: name.replace(/,/g, ' ') } });
export const checkboxValue = (b: boolean): PropertyValue => ({ checkbox: b });
export const statusValue = (name: string | null): PropertyValue => ({ status: name === null ? null : { name } });
export const dateValue = (iso: string | null | undefined): PropertyValue => ({ date: iso ? { start: canonicalDate(iso) } : null });

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * One spelling per instant, so what SagaSync writes and what Notion echoes hash the same: a date
 * stays a date; a date-time becomes UTC with milliseconds (`2026-08-15T10:30:00.000Z`), which
 * Notion answers as `2026-08-15T10:30:00.000+00:00`. Text that is not a date is left as it is.
 */
export function canonicalDate(text: string): string {
  if (DATE_ONLY.test(text)) return text;
  // A date-time without an offset has no instant of its own: keep it as written.
  if (!/(Z|[+-]\d{2}:\d{2})$/i.test(text)) return text;
  const t = Date.parse(text);
  return Number.isNaN(t) ? text : new Date(t).toISOString();
}
export const relationValue = (ids: readonly string[]): PropertyValue => ({ relation: [...new Set(ids.map(normalisePageId))].slice(0, MAX_ITEMS).map((id) => ({ id })) });

/** An external file value for a cover URL; non-http(s) or over-long URLs are left out, as Notion rejects them. */
export function coverValue(url: string | null | undefined): PropertyValue {
  if (!url || !/^https?:\/\//i.test(url) || url.length > MAX_CHUNK) return { files: [] };
  const base = decodeURIComponentSafe(new URL(url).pathname.split('/').pop() ?? '') || 'cover';
  return { files: [{ name: base.slice(0, 100), external: { url } }] };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function normalisePageId(id: string): string {
  const c = id.replace(/-/g, '').toLowerCase();
  return c.length === 32 ? `${c.slice(0, 8)}-${c.slice(8, 12)}-${c.slice(12, 16)}-${c.slice(16, 20)}-${c.slice(20)}` : id.toLowerCase();
}

/**
 * A short stable hash of a value; relation order does not matter to Notion, so it does not matter
 * here. A status value hashes as the select of the same option: the option is what is compared,
 * whichever type the user's property has (a select turned into a status keeps its values).
 */
export function hashValue(value: PropertyValue): string {
  const canonical = 'relation' in value ? { relation: value.relation.map((r) => r.id).sort() } : 'status' in value ? { select: value.status } : value;
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url').slice(0, 16);
}

export const hashValues = (values: PropertyValues): Record<string, string> => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, hashValue(v)]));

/** Plain text of a title or rich_text value. */
export function plainTextOf(value: PropertyValue | undefined): string {
  if (!value) return '';
  if ('title' in value) return value.title.map((t) => t.text.content).join('');
  if ('rich_text' in value) return value.rich_text.map((t) => t.text.content).join('');
  return '';
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a property from a page object (response shape) into the canonical request shape, or
 * undefined when its type is one SagaSync does not write.
 */
export function valueFromResponse(property: unknown): PropertyValue | undefined {
  if (!isRecord(property) || typeof property.type !== 'string') return undefined;
  const v = property[property.type];
  const text = (items: unknown) => (Array.isArray(items) ? items.map((i) => (isRecord(i) && typeof i.plain_text === 'string' ? i.plain_text : '')).join('') : '');
  switch (property.type) {
    case 'title':
      return titleValue(text(v));
    case 'rich_text':
      return textValue(text(v));
    case 'number':
      return numberValue(typeof v === 'number' ? v : null);
    case 'select':
      return selectValue(isRecord(v) && typeof v.name === 'string' ? v.name : null);
    case 'status':
      return statusValue(isRecord(v) && typeof v.name === 'string' ? v.name : null);
    case 'checkbox':
      return checkboxValue(v === true);
    case 'date':
      return dateValue(isRecord(v) && typeof v.start === 'string' ? v.start : null);
    case 'files':
      return {
        files: Array.isArray(v)
          ? v.flatMap((f) => (isRecord(f) && isRecord(f.external) && typeof f.external.url === 'string' && typeof f.name === 'string' ? [{ name: f.name, external: { url: f.external.url } }] : []))
          : [],
      };
    case 'relation':
      return relationValue(Array.isArray(v) ? v.flatMap((r) => (isRecord(r) && typeof r.id === 'string' ? [r.id] : [])) : []);
    default:
      return undefined;
  }
}

/** The option name of a select or status value; null when empty or another type. */
export function optionNameOf(value: PropertyValue | undefined): string | null {
  if (!value) return null;
  if ('select' in value) return value.select?.name ?? null;
  if ('status' in value) return value.status?.name ?? null;
  return null;
}

/** True for a value that holds nothing: empty text, no option, no number, no date, no files or relations. */
export function isEmptyValue(value: PropertyValue): boolean {
  if ('title' in value) return value.title.length === 0;
  if ('rich_text' in value) return value.rich_text.length === 0;
  if ('number' in value) return value.number === null;
  if ('select' in value) return value.select === null;
  if ('status' in value) return value.status === null;
  if ('date' in value) return value.date === null;
  if ('files' in value) return value.files.length === 0;
  if ('relation' in value) return value.relation.length === 0;
  return false;
}

/**
 * Values in the shape the user's data source takes: a select value for a property that is a
 * native `status` property there becomes `{ status: { name } }` (Notion refuses a select value for it).
 */
export function toSchemaShape(values: PropertyValues, statusProperties: ReadonlySet<string> | undefined): PropertyValues {
  if (!statusProperties || statusProperties.size === 0) return values;
  const out: PropertyValues = { ...values };
  for (const name of statusProperties) {
    const v = out[name];
    if (v && 'select' in v) out[name] = { status: v.select };
  }
  return out;
}
