import { validationError } from './errors.js';
import { MAX_ARRAY_ITEMS, MAX_TEXT_CONTENT, parseRichText } from './rich-text.js';
import { normaliseId } from './ids.js';
import { optionId, type PropertySchema, type SelectOption } from './schema.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * A date as Notion answers it: a date stays a date (`2026-08-15`); a date-time comes back with
 * seconds, milliseconds and an offset, UTC as `+00:00` (written `2026-08-15T10:30:00Z`, read
 * `2026-08-15T10:30:00.000+00:00`). So a client comparing strings sees a change that is none.
 */
export function echoDate(value: string): string {
  const m = DATE_TIME.exec(value);
  if (!m) return value;
  const [, day, hm, sec = '00', frac = '', zone] = m;
  const offset = zone === undefined ? '' : zone === 'Z' ? '+00:00' : zone;
  return `${day}T${hm}:${sec}.${frac.padEnd(3, '0').slice(0, 3)}${offset}`;
}

/** A validated property value in response shape, keyed by its type (`{ rich_text: [...] }`). */
export type StoredValue = unknown;

export interface ValueContext {
  random: () => number;
  /** Checks that a related page exists in the relation's target data source. */
  relatedPageExists(dataSourceId: string, pageId: string): boolean;
}

/**
 * Validates one request property value against its schema the way Notion does and returns the
 * stored value. Select names unknown to the schema are added as options (Notion does so when the
 * integration may edit the data source); status names must exist.
 */
export function parseValue(schema: PropertySchema, raw: unknown, ctx: ValueContext): StoredValue {
  const name = schema.name;
  const expected = () => validationError(`${name} is expected to be ${schema.type}.`);
  if (!isRecord(raw)) throw expected();
  const keys = Object.keys(raw).filter((k) => k !== 'type' && k !== 'id');
  if (keys.length !== 1 || keys[0] !== schema.type) throw expected();
  const v = raw[schema.type];
  const path = `body.properties.${name}.${schema.type}`;
  switch (schema.type) {
    case 'title':
    case 'rich_text':
      return parseRichText(v, path);
    case 'number':
      if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) throw validationError(`${path} should be a number or \`null\`, instead was \`${JSON.stringify(v)}\`.`);
      return v;
    case 'checkbox':
      if (typeof v !== 'boolean') throw validationError(`${path} should be a boolean, instead was \`${JSON.stringify(v)}\`.`);
      return v;
    case 'url':
    case 'email':
    case 'phone_number': {
      const max = schema.type === 'url' ? MAX_TEXT_CONTENT : 200;
      if (v === null) return null;
      if (typeof v !== 'string') throw validationError(`${path} should be a string or \`null\`, instead was \`${JSON.stringify(v)}\`.`);
      if (v.length > max) throw validationError(`${path}.length should be ≤ \`${max}\`, instead was \`${v.length}\`.`);
      return v;
    }
    case 'date': {
      if (v === null) return null;
      if (!isRecord(v) || typeof v.start !== 'string' || !ISO_DATE.test(v.start)) throw validationError(`${path}.start should be a valid ISO 8601 date string.`);
      if (v.end !== undefined && v.end !== null && (typeof v.end !== 'string' || !ISO_DATE.test(v.end))) throw validationError(`${path}.end should be a valid ISO 8601 date string.`);
      return { start: echoDate(v.start), end: typeof v.end === 'string' ? echoDate(v.end) : null, time_zone: typeof v.time_zone === 'string' ? v.time_zone : null };
    }
    case 'select':
    case 'status': {
      if (v === null) return null;
      return findOrAddOption(schema, v, path, ctx, schema.type === 'select');
    }
    case 'multi_select': {
      if (!Array.isArray(v)) throw validationError(`${path} should be an array.`);
      if (v.length > MAX_ARRAY_ITEMS) throw validationError(`${path}.length should be ≤ \`${MAX_ARRAY_ITEMS}\`, instead was \`${v.length}\`.`);
      return v.map((o, i) => findOrAddOption(schema, o, `${path}[${i}]`, ctx, true));
    }
    case 'files': {
      if (!Array.isArray(v)) throw validationError(`${path} should be an array.`);
      if (v.length > MAX_ARRAY_ITEMS) throw validationError(`${path}.length should be ≤ \`${MAX_ARRAY_ITEMS}\`, instead was \`${v.length}\`.`);
      return v.map((f, i) => {
        if (!isRecord(f) || typeof f.name !== 'string' || f.name === '') throw validationError(`${path}[${i}].name should be defined, instead was \`undefined\`.`);
        if (f.name.length > 100) throw validationError(`${path}[${i}].name.length should be ≤ \`100\`, instead was \`${f.name.length}\`.`);
        const url = isRecord(f.external) ? f.external.url : undefined;
        if (typeof url !== 'string' || url === '') throw validationError(`${path}[${i}].external.url should be defined, instead was \`undefined\`.`);
        if (url.length > MAX_TEXT_CONTENT) throw validationError(`${path}[${i}].external.url.length should be ≤ \`${MAX_TEXT_CONTENT}\`, instead was \`${url.length}\`.`);
        return { name: f.name, type: 'external', external: { url } };
      });
    }
    case 'relation': {
      if (!Array.isArray(v)) throw validationError(`${path} should be an array.`);
      if (v.length > MAX_ARRAY_ITEMS) throw validationError(`${path}.length should be ≤ \`${MAX_ARRAY_ITEMS}\`, instead was \`${v.length}\`.`);
      const target = (schema.config as { data_source_id: string }).data_source_id;
      const ids: string[] = [];
      for (const [i, r] of v.entries()) {
        const id = isRecord(r) && typeof r.id === 'string' ? normaliseId(r.id) : null;
        if (!id) throw validationError(`${path}[${i}].id should be a valid uuid, instead was \`${JSON.stringify(isRecord(r) ? r.id : r)}\`.`);
        if (!ctx.relatedPageExists(target, id)) throw validationError(`Relation ${name} references page ${id}, which is not in its related data source.`);
        if (!ids.includes(id)) ids.push(id);
      }
      return ids.map((id) => ({ id }));
    }
    case 'people':
      if (!Array.isArray(v)) throw validationError(`${path} should be an array.`);
      return v;
    case 'created_time':
    case 'last_edited_time':
      throw validationError(`${name} is a read-only property and cannot be set.`);
  }
}

function findOrAddOption(schema: PropertySchema, raw: unknown, path: string, ctx: ValueContext, mayAdd: boolean): SelectOption {
  if (!isRecord(raw)) throw validationError(`${path} should be an object.`);
  const options = (schema.config.options ?? []) as SelectOption[];
  if (typeof raw.id === 'string') {
    const byId = options.find((o) => o.id === raw.id);
    if (!byId) throw validationError(`${path}.id: option ${raw.id} does not exist.`);
    return { ...byId };
  }
  if (typeof raw.name !== 'string' || raw.name === '') throw validationError(`${path}.name should be a non-empty string.`);
  if (raw.name.includes(',')) throw validationError(`Invalid select option, commas not allowed: ${raw.name}`);
  if (raw.name.length > 100) throw validationError(`${path}.name.length should be ≤ \`100\`, instead was \`${raw.name.length}\`.`);
  const found = options.find((o) => o.name === raw.name);
  if (found) return { ...found };
  if (!mayAdd) throw validationError(`Invalid status option. Status option "${raw.name}" does not exist for ${schema.name}.`);
  const added: SelectOption = { id: optionId(ctx.random), name: raw.name, color: 'default' };
  schema.config.options = [...options, added];
  return { ...added };
}

/** The value a property holds on a page that never set it. */
export function emptyValue(schema: PropertySchema): StoredValue {
  switch (schema.type) {
    case 'title':
    case 'rich_text':
    case 'multi_select':
    case 'files':
    case 'relation':
    case 'people':
      return [];
    case 'checkbox':
      return false;
    default:
      return null;
  }
}
