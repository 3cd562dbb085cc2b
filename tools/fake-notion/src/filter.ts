import { validationError } from './errors.js';
import type { RichTextItem } from './rich-text.js';
import type { PropertySchema, SelectOption } from './schema.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface FilterablePage {
  created_time: string;
  last_edited_time: string;
  value(schema: PropertySchema): unknown;
}

type Predicate = (page: FilterablePage) => boolean;

/**
 * Compiles a query filter (property conditions, timestamp conditions, `and`/`or` nested at most
 * two levels as Notion allows) into a predicate. Unknown properties and conditions are 400s.
 */
export function compileFilter(filter: unknown, resolve: (nameOrId: string) => PropertySchema | undefined, depth = 0): Predicate {
  if (filter === undefined) return () => true;
  if (!isRecord(filter)) throw validationError('body.filter should be an object.');
  if (Array.isArray(filter.and) || Array.isArray(filter.or)) {
    if (depth >= 2) throw validationError('body.filter: compound filters can be nested at most two levels deep.');
    const parts = ((filter.and ?? filter.or) as unknown[]).map((f) => compileFilter(f, resolve, depth + 1));
    return Array.isArray(filter.and) ? (p) => parts.every((f) => f(p)) : (p) => parts.some((f) => f(p));
  }
  if (filter.timestamp === 'created_time' || filter.timestamp === 'last_edited_time') {
    const key = filter.timestamp;
    const cond = filter[key];
    return dateCondition(cond, (p) => p[key], `body.filter.${key}`);
  }
  if (typeof filter.property !== 'string') throw validationError('body.filter.property should be defined, instead was `undefined`.');
  const schema = resolve(filter.property);
  if (!schema) throw validationError(`Could not find property with name or id: ${filter.property}`);
  const condKey = Object.keys(filter).find((k) => k !== 'property' && k !== 'type');
  if (!condKey) throw validationError(`body.filter: a condition for ${filter.property} is missing.`);
  const cond = filter[condKey];
  const compatible = condKey === schema.type || (condKey === 'rich_text' && schema.type === 'title') || (condKey === 'title' && schema.type === 'rich_text');
  if (!compatible) throw validationError(`body.filter: property ${schema.name} is of type ${schema.type}, not ${condKey}.`);
  const at = `body.filter.${condKey}`;
  switch (schema.type) {
    case 'title':
    case 'rich_text':
    case 'url':
    case 'email':
    case 'phone_number':
      return textCondition(cond, (p) => {
        const v = p.value(schema);
        return Array.isArray(v) ? (v as RichTextItem[]).map((i) => i.plain_text).join('') : ((v as string | null) ?? '');
      }, at);
    case 'number':
      return numberCondition(cond, (p) => p.value(schema) as number | null, at);
    case 'checkbox':
      if (!isRecord(cond)) throw validationError(`${at} should be an object.`);
      if (typeof cond.equals === 'boolean') return (p) => p.value(schema) === cond.equals;
      if (typeof cond.does_not_equal === 'boolean') return (p) => p.value(schema) !== cond.does_not_equal;
      throw validationError(`${at} should define equals or does_not_equal.`);
    case 'select':
    case 'status':
      return optionCondition(cond, (p) => {
        const v = p.value(schema) as SelectOption | null;
        return v ? [v.name] : [];
      }, at, false);
    case 'multi_select':
      return optionCondition(cond, (p) => (p.value(schema) as SelectOption[]).map((o) => o.name), at, true);
    case 'relation':
      return relationCondition(cond, (p) => (p.value(schema) as { id: string }[]).map((r) => r.id), at);
    case 'date':
      return dateCondition(cond, (p) => (p.value(schema) as { start: string } | null)?.start ?? null, at);
    default:
      throw validationError(`${at}: filtering on ${schema.type} properties is not supported by this fake.`);
  }
}

function textCondition(cond: unknown, get: (p: FilterablePage) => string, at: string): Predicate {
  if (!isRecord(cond)) throw validationError(`${at} should be an object.`);
  const [op, arg] = Object.entries(cond)[0] ?? [];
  const s = typeof arg === 'string' ? arg : '';
  switch (op) {
    case 'equals':
      return (p) => get(p) === s;
    case 'does_not_equal':
      return (p) => get(p) !== s;
    case 'contains':
      return (p) => get(p).toLowerCase().includes(s.toLowerCase());
    case 'does_not_contain':
      return (p) => !get(p).toLowerCase().includes(s.toLowerCase());
    case 'starts_with':
      return (p) => get(p).startsWith(s);
    case 'ends_with':
      return (p) => get(p).endsWith(s);
    case 'is_empty':
      return (p) => get(p) === '';
    case 'is_not_empty':
      return (p) => get(p) !== '';
    default:
      throw validationError(`${at}: unknown text condition ${String(op)}.`);
  }
}

function numberCondition(cond: unknown, get: (p: FilterablePage) => number | null, at: string): Predicate {
  if (!isRecord(cond)) throw validationError(`${at} should be an object.`);
  const [op, arg] = Object.entries(cond)[0] ?? [];
  const n = typeof arg === 'number' ? arg : NaN;
  const cmp = (f: (v: number) => boolean): Predicate => (p) => {
    const v = get(p);
    return v !== null && f(v);
  };
  switch (op) {
    case 'equals':
      return cmp((v) => v === n);
    case 'does_not_equal':
      return (p) => get(p) !== n;
    case 'greater_than':
      return cmp((v) => v > n);
    case 'less_than':
      return cmp((v) => v < n);
    case 'greater_than_or_equal_to':
      return cmp((v) => v >= n);
    case 'less_than_or_equal_to':
      return cmp((v) => v <= n);
    case 'is_empty':
      return (p) => get(p) === null;
    case 'is_not_empty':
      return (p) => get(p) !== null;
    default:
      throw validationError(`${at}: unknown number condition ${String(op)}.`);
  }
}

function optionCondition(cond: unknown, get: (p: FilterablePage) => string[], at: string, multi: boolean): Predicate {
  if (!isRecord(cond)) throw validationError(`${at} should be an object.`);
  const [op, arg] = Object.entries(cond)[0] ?? [];
  switch (op) {
    case multi ? 'contains' : 'equals':
      return (p) => get(p).includes(String(arg));
    case multi ? 'does_not_contain' : 'does_not_equal':
      return (p) => !get(p).includes(String(arg));
    case 'is_empty':
      return (p) => get(p).length === 0;
    case 'is_not_empty':
      return (p) => get(p).length > 0;
    default:
      throw validationError(`${at}: unknown condition ${String(op)}.`);
  }
}

function relationCondition(cond: unknown, get: (p: FilterablePage) => string[], at: string): Predicate {
  if (!isRecord(cond)) throw validationError(`${at} should be an object.`);
  const [op, arg] = Object.entries(cond)[0] ?? [];
  const id = String(arg).toLowerCase();
  switch (op) {
    case 'contains':
      return (p) => get(p).some((r) => r.replace(/-/g, '') === id.replace(/-/g, ''));
    case 'does_not_contain':
      return (p) => !get(p).some((r) => r.replace(/-/g, '') === id.replace(/-/g, ''));
    case 'is_empty':
      return (p) => get(p).length === 0;
    case 'is_not_empty':
      return (p) => get(p).length > 0;
    default:
      throw validationError(`${at}: unknown relation condition ${String(op)}.`);
  }
}

function dateCondition(cond: unknown, get: (p: FilterablePage) => string | null, at: string): Predicate {
  if (!isRecord(cond)) throw validationError(`${at} should be an object.`);
  const [op, arg] = Object.entries(cond)[0] ?? [];
  const t = typeof arg === 'string' ? Date.parse(arg) : NaN;
  if (op !== 'is_empty' && op !== 'is_not_empty' && Number.isNaN(t)) throw validationError(`${at}.${String(op)} should be an ISO 8601 date.`);
  const cmp = (f: (v: number) => boolean): Predicate => (p) => {
    const v = get(p);
    return v !== null && f(Date.parse(v));
  };
  switch (op) {
    case 'equals':
      return cmp((v) => v === t);
    case 'before':
      return cmp((v) => v < t);
    case 'after':
      return cmp((v) => v > t);
    case 'on_or_before':
      return cmp((v) => v <= t);
    case 'on_or_after':
      return cmp((v) => v >= t);
    case 'is_empty':
      return (p) => get(p) === null;
    case 'is_not_empty':
      return (p) => get(p) !== null;
    default:
      throw validationError(`${at}: unknown date condition ${String(op)}.`);
  }
}
