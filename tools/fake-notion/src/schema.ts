import { validationError } from './errors.js';
import { newPropertyId } from './ids.js';

/** Property types the fake can create and hold values for. */
export const PROPERTY_TYPES = [
  'title',
  'rich_text',
  'number',
  'select',
  'multi_select',
  'status',
  'checkbox',
  'date',
  'url',
  'email',
  'phone_number',
  'files',
  'relation',
  'people',
  'created_time',
  'last_edited_time',
] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

export interface SelectOption {
  id: string;
  name: string;
  color: string;
}

/** A group of a status property: options belong to exactly one of To-do, In progress, Complete. */
export interface StatusGroup {
  id: string;
  name: string;
  color: string;
  option_ids: string[];
}

/**
 * What Notion gives a status property created without options (the app's default), and the three
 * groups every status property has. Options created through the API all land in the To-do group.
 */
const DEFAULT_STATUS_OPTIONS = [
  { name: 'Not started', color: 'default', group: 'To-do' },
  { name: 'In progress', color: 'blue', group: 'In progress' },
  { name: 'Done', color: 'green', group: 'Complete' },
] as const;
const STATUS_GROUPS = [
  { name: 'To-do', color: 'gray' },
  { name: 'In progress', color: 'blue' },
  { name: 'Complete', color: 'green' },
] as const;

/** A status configuration in response shape: `{ options, groups }`. */
export function statusConfig(raw: unknown, path: string, random: () => number): { options: SelectOption[]; groups: StatusGroup[] } {
  const given = isRecord(raw) && raw.options !== undefined;
  const options = given ? parseOptions(raw.options, path, random) : DEFAULT_STATUS_OPTIONS.map((o) => ({ id: optionId(random), name: o.name, color: o.color }));
  const groups: StatusGroup[] = STATUS_GROUPS.map((g) => ({ id: optionId(random), name: g.name, color: g.color, option_ids: [] }));
  options.forEach((o, i) => {
    const groupName = given ? 'To-do' : DEFAULT_STATUS_OPTIONS[i]!.group;
    groups.find((g) => g.name === groupName)!.option_ids.push(o.id);
  });
  return { options, groups };
}

export interface RelationConfig {
  data_source_id: string;
  database_id: string;
  type: 'single_property' | 'dual_property';
  single_property?: Record<string, never>;
  dual_property?: { synced_property_id: string; synced_property_name: string };
}

export interface PropertySchema {
  id: string;
  name: string;
  type: PropertyType;
  description: string | null;
  /** The type's configuration in response shape (`{ format }`, `{ options }`, a relation config, `{}`). */
  config: Record<string, unknown>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The one type key of a request property config such as `{ rich_text: {} }` (`type` and `description` are allowed beside it). */
export function configType(name: string, config: unknown): PropertyType {
  if (!isRecord(config)) throw validationError(`body.properties.${name} should be an object.`);
  const keys = Object.keys(config).filter((k) => k !== 'type' && k !== 'description' && k !== 'name' && k !== 'id');
  const known = keys.filter((k): k is PropertyType => (PROPERTY_TYPES as readonly string[]).includes(k));
  if (known.length !== 1 || keys.length !== 1) {
    throw validationError(`body.properties.${name} should have exactly one property type, instead had \`${keys.join(', ') || 'none'}\`.`);
  }
  return known[0]!;
}

export function parseOptions(raw: unknown, path: string, random: () => number, existing: readonly SelectOption[] = []): SelectOption[] {
  if (raw === undefined) return [...existing];
  if (!Array.isArray(raw)) throw validationError(`${path}.options should be an array.`);
  const seen = new Set<string>();
  return raw.map((o, i) => {
    if (!isRecord(o) || typeof o.name !== 'string' || o.name === '') throw validationError(`${path}.options[${i}].name should be a non-empty string.`);
    if (o.name.includes(',')) throw validationError(`Invalid select option, commas not allowed: ${o.name}`);
    if (seen.has(o.name)) throw validationError(`${path}.options has a duplicate option name: ${o.name}`);
    seen.add(o.name);
    const kept = existing.find((e) => (typeof o.id === 'string' && e.id === o.id) || e.name === o.name);
    return { id: kept?.id ?? optionId(random), name: o.name, color: typeof o.color === 'string' ? o.color : (kept?.color ?? 'default') };
  });
}

export const optionId = (random: () => number): string => Math.floor(random() * 0xffffffff).toString(16).padStart(8, '0').slice(0, 8);

/** Builds a stored property schema (everything but relations, which need the data source registry). */
export function buildSimpleProperty(name: string, type: PropertyType, raw: Record<string, unknown>, taken: ReadonlySet<string>, random: () => number): PropertySchema {
  const body = raw[type];
  if (body !== undefined && !isRecord(body)) throw validationError(`body.properties.${name}.${type} should be an object.`);
  const path = `body.properties.${name}.${type}`;
  let config: Record<string, unknown> = {};
  switch (type) {
    case 'number':
      config = { format: typeof body?.format === 'string' ? body.format : 'number' };
      break;
    case 'select':
    case 'multi_select':
      config = { options: parseOptions(body?.options ?? [], path, random) };
      break;
    case 'status':
      config = statusConfig(body, path, random) as unknown as Record<string, unknown>;
      break;
    default:
      config = {};
  }
  const id = type === 'title' ? 'title' : newPropertyId(taken, random);
  return { id, name, type, description: typeof raw.description === 'string' ? raw.description : null, config };
}

export function schemaResponse(p: PropertySchema): Record<string, unknown> {
  let config = p.config;
  // Option objects of selects and statuses carry a description in responses.
  if (p.type === 'select' || p.type === 'multi_select' || p.type === 'status') {
    config = { ...config, options: (config.options as SelectOption[]).map((o) => ({ ...o, description: null })) };
  }
  return { id: p.id, name: p.name, description: p.description ?? undefined, type: p.type, [p.type]: config };
}
