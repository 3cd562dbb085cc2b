import { NotionHttpError, notFound, validationError } from './errors.js';
import { compileFilter } from './filter.js';
import { newPropertyId, newUuid, normaliseId } from './ids.js';
import { parseRichText, plainText, textItems, type RichTextItem } from './rich-text.js';
import { buildSimpleProperty, configType, parseOptions, schemaResponse, type PropertySchema, type RelationConfig, type SelectOption } from './schema.js';
import { emptyValue, parseValue, type StoredValue, type ValueContext } from './values.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Relations in page objects are truncated here, as Notion does, with `has_more: true`. */
const RELATION_PAGE_LIMIT = 25;

export interface FakeParentPage {
  id: string;
  title: string;
}

export interface FakeDatabase {
  id: string;
  parentPageId: string;
  title: RichTextItem[];
  isInline: boolean;
  dataSourceIds: string[];
  createdTime: string;
  lastEditedTime: string;
  inTrash: boolean;
  createdBy: string;
  /** Set for a database that is a row of another data source (a wiki's child database), not a block of a page. */
  rowOf?: string;
}

export interface FakeDataSource {
  id: string;
  databaseId: string;
  title: RichTextItem[];
  /** In creation order, keyed by property id. */
  properties: Map<string, PropertySchema>;
  createdTime: string;
  lastEditedTime: string;
  inTrash: boolean;
}

export interface FakePage {
  id: string;
  dataSourceId: string;
  /** Values keyed by property id. */
  values: Map<string, StoredValue>;
  icon: unknown;
  cover: unknown;
  createdTime: string;
  lastEditedTime: string;
  inTrash: boolean;
  /** Creation order: the stable order queries return rows in. */
  seq: number;
  createdBy: string;
  lastEditedBy: string;
  /** Set on a query row that is a data source (`object: "data_source"`), not a page: its id. */
  dataSourceRow?: string;
}

export interface WorkspaceOptions {
  random: () => number;
  now?: () => number;
  /** Rows a single query may return before `request_status.incomplete` (Notion: 10,000). */
  queryResultCap?: number;
  botUserId?: string;
}

/** The fake's workspace: parent pages, databases, data sources and rows, with Notion's semantics. */
export class FakeWorkspace {
  readonly parentPages = new Map<string, FakeParentPage>();
  readonly databases = new Map<string, FakeDatabase>();
  readonly dataSources = new Map<string, FakeDataSource>();
  readonly pages = new Map<string, FakePage>();
  /** Data sources listed among another data source's query results (wiki databases), by their id. */
  readonly dataSourceRows = new Map<string, FakePage>();
  readonly botUserId: string;
  /** The person who edits by hand in the UI (`editByHand`, `createByHand`). */
  readonly personUserId: string = newUuid();
  private seq = 0;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly queryResultCap: number;

  constructor(options: WorkspaceOptions) {
    this.random = options.random;
    this.now = options.now ?? Date.now;
    this.queryResultCap = options.queryResultCap ?? 10_000;
    this.botUserId = options.botUserId ?? newUuid();
  }

  private timestamp(): string {
    return new Date(this.now()).toISOString();
  }

  /** A page's created and last-edited times, which Notion rounds down to the minute. */
  private pageTimestamp(): string {
    const ms = this.now();
    return new Date(ms - (ms % 60_000)).toISOString();
  }

  /** A page the integration can create databases under (what a user shares with it). */
  addParentPage(title = 'SagaSync'): string {
    const id = newUuid();
    this.parentPages.set(id, { id, title });
    return id;
  }

  // ---- databases and data sources -------------------------------------------------------------

  createDatabase(body: Record<string, unknown>, actor: string = this.botUserId): Record<string, unknown> {
    const parent = body.parent;
    const parentId = isRecord(parent) && typeof parent.page_id === 'string' ? normaliseId(parent.page_id) : null;
    if (!parentId) throw validationError('body.parent.page_id should be defined, instead was `undefined`.');
    if (!this.parentPages.has(parentId)) throw notFound('page', parentId);
    const initial = body.initial_data_source;
    const rawProperties = isRecord(initial) && isRecord(initial.properties) ? initial.properties : undefined;
    if (!rawProperties) throw validationError('body.initial_data_source.properties should be defined, instead was `undefined`.');
    const title = body.title === undefined ? [] : parseRichText(body.title, 'body.title');
    // Validate everything before creating anything, so a 400 leaves no trace.
    const dbId = newUuid();
    const ds: FakeDataSource = {
      id: newUuid(),
      databaseId: dbId,
      title,
      properties: new Map(),
      createdTime: this.timestamp(),
      lastEditedTime: this.timestamp(),
      inTrash: false,
    };
    const pendingReverse = this.buildProperties(ds, rawProperties, true);
    const db: FakeDatabase = {
      id: dbId,
      parentPageId: parentId,
      title,
      isInline: body.is_inline === true,
      dataSourceIds: [ds.id],
      createdTime: ds.createdTime,
      lastEditedTime: ds.createdTime,
      inTrash: false,
      createdBy: actor,
    };
    this.databases.set(db.id, db);
    this.dataSources.set(ds.id, ds);
    pendingReverse();
    return this.databaseResponse(db);
  }

  getDatabase(rawId: string): FakeDatabase {
    const id = normaliseId(rawId);
    const db = id ? this.databases.get(id) : undefined;
    if (!db) throw notFound('database', rawId);
    return db;
  }

  getDataSource(rawId: string): FakeDataSource {
    const id = normaliseId(rawId);
    const ds = id ? this.dataSources.get(id) : undefined;
    if (!ds) throw notFound('data_source', rawId);
    return ds;
  }

  updateDatabase(rawId: string, body: Record<string, unknown>): Record<string, unknown> {
    const db = this.getDatabase(rawId);
    if (body.properties !== undefined) throw validationError('body.properties is not accepted on databases in version 2025-09-03; update the data source instead.');
    if (body.title !== undefined) db.title = parseRichText(body.title, 'body.title');
    if (typeof body.in_trash === 'boolean') db.inTrash = body.in_trash;
    db.lastEditedTime = this.timestamp();
    return this.databaseResponse(db);
  }

  updateDataSource(rawId: string, body: Record<string, unknown>): Record<string, unknown> {
    const ds = this.getDataSource(rawId);
    if (body.title !== undefined) ds.title = parseRichText(body.title, 'body.title');
    if (typeof body.in_trash === 'boolean') ds.inTrash = body.in_trash;
    if (body.properties !== undefined) {
      if (!isRecord(body.properties)) throw validationError('body.properties should be an object.');
      const additions: Record<string, unknown> = {};
      for (const [key, change] of Object.entries(body.properties)) {
        const existing = this.resolveProperty(ds, key);
        if (change === null) {
          if (!existing) throw validationError(`${key} is not a property that exists.`);
          if (existing.type === 'title') throw validationError('Cannot delete the title property.');
          ds.properties.delete(existing.id);
          continue;
        }
        if (!isRecord(change)) throw validationError(`body.properties.${key} should be an object or \`null\`.`);
        if (existing) {
          if (typeof change.name === 'string' && change.name !== existing.name) {
            if (this.resolveProperty(ds, change.name)) throw validationError(`A property named ${change.name} already exists.`);
            existing.name = change.name;
          }
          const typeKeys = Object.keys(change).filter((k) => k !== 'name' && k !== 'description' && k !== 'type');
          if (typeKeys.length > 0) {
            const type = configType(key, Object.fromEntries(typeKeys.map((k) => [k, change[k]])));
            if (type !== existing.type) throw validationError(`Changing the type of ${existing.name} is not supported by this fake.`);
            const cfg = change[type];
            // Notion's API cannot change a status property's options: they are edited in the app.
            if (type === 'status' && isRecord(cfg) && cfg.options !== undefined) {
              throw validationError(`Cannot update the options of status property ${existing.name} through the API; edit them in Notion.`);
            }
            if ((type === 'select' || type === 'multi_select') && isRecord(cfg)) {
              existing.config.options = parseOptions(cfg.options, `body.properties.${key}.${type}`, this.random, existing.config.options as SelectOption[]);
            }
          }
          if (typeof change.description === 'string') existing.description = change.description;
        } else {
          additions[key] = change;
        }
      }
      if (Object.keys(additions).length > 0) this.buildProperties(ds, additions, false)();
    }
    ds.lastEditedTime = this.timestamp();
    return this.dataSourceResponse(ds);
  }

  /**
   * Adds properties to a data source; returns a function that creates the reverse halves of dual
   * relations, run once the data source is registered.
   */
  private buildProperties(ds: FakeDataSource, raw: Record<string, unknown>, requireTitle: boolean): () => void {
    const reverse: (() => void)[] = [];
    let titles = [...ds.properties.values()].filter((p) => p.type === 'title').length;
    for (const [name, config] of Object.entries(raw)) {
      if (name.trim() === '') throw validationError('Property names cannot be empty.');
      if (this.resolveProperty(ds, name)) throw validationError(`A property named ${name} already exists.`);
      const type = configType(name, config);
      const taken = new Set(ds.properties.keys());
      const cfg = config as Record<string, unknown>;
      if (type === 'title') {
        titles += 1;
        if (titles > 1) throw validationError('A data source can have only one title property.');
      }
      if (type === 'relation') {
        const rel = cfg.relation;
        if (!isRecord(rel)) throw validationError(`body.properties.${name}.relation should be an object.`);
        if (rel.database_id !== undefined && rel.data_source_id === undefined) {
          throw validationError(`body.properties.${name}.relation.data_source_id should be defined, instead was \`undefined\`. Relations reference data sources in version 2025-09-03.`);
        }
        const targetId = typeof rel.data_source_id === 'string' ? normaliseId(rel.data_source_id) : null;
        const target = targetId ? (this.dataSources.get(targetId) ?? (targetId === ds.id ? ds : undefined)) : undefined;
        if (!target) throw validationError(`body.properties.${name}.relation.data_source_id does not refer to a data source shared with the integration.`);
        const kind = rel.type === 'dual_property' ? 'dual_property' : 'single_property';
        const id = newPropertyId(taken, this.random);
        const relConfig: RelationConfig = { data_source_id: target.id, database_id: target.databaseId, type: kind };
        const schema: PropertySchema = { id, name, type: 'relation', description: typeof cfg.description === 'string' ? cfg.description : null, config: relConfig as unknown as Record<string, unknown> };
        if (kind === 'dual_property') {
          const dual = isRecord(rel.dual_property) ? rel.dual_property : {};
          const reverseName = typeof dual.synced_property_name === 'string' ? dual.synced_property_name : `Related to ${plainText(ds.title) || 'Untitled'} (${name})`;
          relConfig.dual_property = { synced_property_id: '', synced_property_name: reverseName };
          reverse.push(() => {
            const targetTaken = new Set(target.properties.keys());
            const reverseId = newPropertyId(targetTaken, this.random);
            target.properties.set(reverseId, {
              id: reverseId,
              name: this.resolveProperty(target, reverseName) ? `${reverseName} (${plainText(ds.title)})` : reverseName,
              type: 'relation',
              description: null,
              config: { data_source_id: ds.id, database_id: ds.databaseId, type: 'dual_property', dual_property: { synced_property_id: id, synced_property_name: name } },
            });
            relConfig.dual_property = { synced_property_id: reverseId, synced_property_name: target.properties.get(reverseId)!.name };
          });
        } else {
          relConfig.single_property = {};
        }
        ds.properties.set(id, schema);
        continue;
      }
      const schema = buildSimpleProperty(name, type, cfg, taken, this.random);
      ds.properties.set(schema.id, schema);
    }
    if (requireTitle && titles !== 1) throw validationError('Exactly one title property is required.');
    return () => reverse.forEach((r) => r());
  }

  resolveProperty(ds: FakeDataSource, nameOrId: string): PropertySchema | undefined {
    const byId = ds.properties.get(nameOrId) ?? ds.properties.get(encodeURIComponent(nameOrId));
    if (byId) return byId;
    for (const p of ds.properties.values()) if (p.name === nameOrId) return p;
    return undefined;
  }

  databaseResponse(db: FakeDatabase): Record<string, unknown> {
    return {
      object: 'database',
      id: db.id,
      title: db.title,
      description: [],
      parent: { type: 'page_id', page_id: db.parentPageId },
      is_inline: db.isInline,
      in_trash: db.inTrash,
      archived: db.inTrash,
      is_locked: false,
      created_time: db.createdTime,
      last_edited_time: db.lastEditedTime,
      data_sources: db.dataSourceIds.map((id) => ({ id, name: plainText(this.dataSources.get(id)!.title) })),
      icon: null,
      cover: null,
      url: `https://www.notion.so/${db.id.replace(/-/g, '')}`,
      public_url: null,
    };
  }

  dataSourceResponse(ds: FakeDataSource): Record<string, unknown> {
    const db = this.databases.get(ds.databaseId);
    return {
      object: 'data_source',
      id: ds.id,
      title: ds.title,
      description: [],
      parent: { type: 'database_id', database_id: ds.databaseId },
      database_parent: { type: 'page_id', page_id: db?.parentPageId },
      is_inline: db?.isInline ?? false,
      in_trash: ds.inTrash,
      archived: ds.inTrash,
      created_time: ds.createdTime,
      last_edited_time: ds.lastEditedTime,
      properties: Object.fromEntries([...ds.properties.values()].map((p) => [p.name, schemaResponse(p)])),
      icon: null,
      cover: null,
      url: `https://www.notion.so/${ds.id.replace(/-/g, '')}`,
      public_url: null,
    };
  }

  // ---- pages ----------------------------------------------------------------------------------

  private valueContext(): ValueContext {
    return {
      random: this.random,
      relatedPageExists: (dsId, pageId) => {
        const p = this.pages.get(pageId);
        return p !== undefined && p.dataSourceId === dsId && !p.inTrash;
      },
    };
  }

  /** Validates a whole `properties` object before anything is written. */
  private parseProperties(ds: FakeDataSource, raw: unknown): Map<string, StoredValue> {
    if (raw === undefined) return new Map();
    if (!isRecord(raw)) throw validationError('body.properties should be an object.');
    const out = new Map<string, StoredValue>();
    for (const [key, value] of Object.entries(raw)) {
      const schema = this.resolveProperty(ds, key);
      if (!schema) throw validationError(`${key} is not a property that exists.`);
      out.set(schema.id, parseValue(schema, value, this.valueContext()));
    }
    return out;
  }

  createPage(body: Record<string, unknown>, actor: string = this.botUserId): Record<string, unknown> {
    const parent = body.parent;
    if (!isRecord(parent)) throw validationError('body.parent should be defined, instead was `undefined`.');
    let ds: FakeDataSource;
    if (typeof parent.data_source_id === 'string') ds = this.getDataSource(parent.data_source_id);
    else if (typeof parent.database_id === 'string') {
      const db = this.getDatabase(parent.database_id);
      if (db.dataSourceIds.length !== 1) throw validationError('This database has several data sources; use a data_source_id parent.');
      ds = this.dataSources.get(db.dataSourceIds[0]!)!;
    } else throw validationError('body.parent.data_source_id should be defined, instead was `undefined`.');
    if (ds.inTrash) throw validationError('Cannot create pages in a data source that is in the trash.');
    const values = this.parseProperties(ds, body.properties);
    const title = [...ds.properties.values()].find((p) => p.type === 'title');
    if (title && !values.has(title.id)) throw validationError(`${title.name} is required: a page needs a title property value.`);
    const now = this.pageTimestamp();
    const page: FakePage = {
      id: newUuid(),
      dataSourceId: ds.id,
      values: new Map(),
      icon: body.icon ?? null,
      cover: body.cover ?? null,
      createdTime: now,
      lastEditedTime: now,
      inTrash: false,
      seq: this.seq++,
      createdBy: actor,
      lastEditedBy: actor,
    };
    this.pages.set(page.id, page);
    this.writeValues(page, ds, values);
    return this.pageResponse(page);
  }

  getPage(rawId: string): FakePage {
    const id = normaliseId(rawId);
    const page = id ? this.pages.get(id) : undefined;
    if (!page) throw notFound('page', rawId);
    return page;
  }

  updatePage(rawId: string, body: Record<string, unknown>, actor: string = this.botUserId): Record<string, unknown> {
    const page = this.getPage(rawId);
    const ds = this.dataSources.get(page.dataSourceId)!;
    const trashFlag = typeof body.in_trash === 'boolean' ? body.in_trash : typeof body.archived === 'boolean' ? body.archived : undefined;
    if (page.inTrash && trashFlag !== false && body.properties !== undefined) {
      throw validationError("Can't edit block that is archived. You must unarchive the block before editing.");
    }
    const values = this.parseProperties(ds, body.properties);
    if (trashFlag !== undefined) page.inTrash = trashFlag;
    if (body.icon !== undefined) page.icon = body.icon;
    if (body.cover !== undefined) page.cover = body.cover;
    this.writeValues(page, ds, values);
    page.lastEditedTime = this.pageTimestamp();
    page.lastEditedBy = actor;
    return this.pageResponse(page);
  }

  /** Writes values; relation writes replace the set and are mirrored into the dual property. */
  private writeValues(page: FakePage, ds: FakeDataSource, values: Map<string, StoredValue>): void {
    for (const [propId, value] of values) {
      const schema = ds.properties.get(propId)!;
      const before = page.values.get(propId);
      page.values.set(propId, value);
      const rel = schema.type === 'relation' ? (schema.config as unknown as RelationConfig) : undefined;
      if (!rel?.dual_property) continue;
      const oldIds = new Set(((before as { id: string }[] | undefined) ?? []).map((r) => r.id));
      const newIds = new Set((value as { id: string }[]).map((r) => r.id));
      const reverseId = rel.dual_property.synced_property_id;
      for (const id of new Set([...oldIds, ...newIds])) {
        const other = this.pages.get(id);
        if (!other) continue;
        const current = ((other.values.get(reverseId) as { id: string }[] | undefined) ?? []).filter((r) => r.id !== page.id);
        if (newIds.has(id)) current.push({ id: page.id });
        other.values.set(reverseId, current);
        other.lastEditedTime = this.pageTimestamp();
      }
    }
  }

  pageValue(page: FakePage, schema: PropertySchema): StoredValue {
    if (schema.type === 'created_time') return page.createdTime;
    if (schema.type === 'last_edited_time') return page.lastEditedTime;
    return page.values.get(schema.id) ?? emptyValue(schema);
  }

  pageResponse(page: FakePage, only?: ReadonlySet<string>): Record<string, unknown> {
    const ds = this.dataSources.get(page.dataSourceId)!;
    const properties: Record<string, unknown> = {};
    for (const schema of ds.properties.values()) {
      if (only && !only.has(schema.id)) continue;
      let value = this.pageValue(page, schema);
      const extra: Record<string, unknown> = {};
      if (schema.type === 'relation') {
        const all = value as { id: string }[];
        value = all.slice(0, RELATION_PAGE_LIMIT);
        extra.has_more = all.length > RELATION_PAGE_LIMIT;
      }
      properties[schema.name] = { id: schema.id, type: schema.type, [schema.type]: value, ...extra };
    }
    return {
      object: 'page',
      id: page.id,
      created_time: page.createdTime,
      last_edited_time: page.lastEditedTime,
      created_by: { object: 'user', id: page.createdBy },
      last_edited_by: { object: 'user', id: page.lastEditedBy },
      cover: page.cover,
      icon: page.icon,
      parent: { type: 'data_source_id', data_source_id: ds.id, database_id: ds.databaseId },
      in_trash: page.inTrash,
      archived: page.inTrash,
      is_locked: false,
      properties,
      url: `https://www.notion.so/${page.id.replace(/-/g, '')}`,
      public_url: null,
    };
  }

  // ---- query ----------------------------------------------------------------------------------

  queryDataSource(rawId: string, body: Record<string, unknown>, filterProperties: string[]): Record<string, unknown> {
    const ds = this.getDataSource(rawId);
    const pageSize = body.page_size === undefined ? 100 : body.page_size;
    if (typeof pageSize !== 'number' || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
      throw validationError(`body.page_size should be a number between 1 and 100, instead was \`${JSON.stringify(pageSize)}\`.`);
    }
    const predicate = compileFilter(body.filter, (key) => this.resolveProperty(ds, key));
    const inTrash = body.in_trash === true;
    const resultType = body.result_type;
    if (resultType !== undefined && resultType !== 'page' && resultType !== 'data_source') {
      throw validationError(`body.result_type should be \`"page"\` or \`"data_source"\`, instead was \`${JSON.stringify(resultType)}\`.`);
    }
    // A wiki's query returns its child data sources beside the pages, unless result_type asks for one kind.
    let rows = [
      ...(resultType === 'data_source' ? [] : [...this.pages.values()].filter((p) => p.dataSourceId === ds.id && p.inTrash === inTrash)),
      ...(resultType === 'page' ? [] : [...this.dataSourceRows.values()].filter((r) => r.dataSourceId === ds.id && r.inTrash === inTrash)),
    ];
    rows = rows.filter((p) =>
      predicate({ created_time: p.createdTime, last_edited_time: p.lastEditedTime, value: (schema) => this.pageValue(p, schema) }),
    );
    rows.sort(this.sorter(ds, body.sorts));
    let incomplete = false;
    if (rows.length > this.queryResultCap) {
      rows = rows.slice(0, this.queryResultCap);
      incomplete = true;
    }
    let start = 0;
    if (body.start_cursor !== undefined) {
      const cursor = typeof body.start_cursor === 'string' ? normaliseId(body.start_cursor) : null;
      start = cursor ? rows.findIndex((p) => p.id === cursor) : -1;
      if (start < 0) throw validationError('body.start_cursor should be a valid cursor returned by a previous query.');
    }
    const slice = rows.slice(start, start + pageSize);
    const next = rows[start + pageSize];
    let only: Set<string> | undefined;
    if (filterProperties.length > 0) {
      only = new Set();
      for (const key of filterProperties) {
        const schema = this.resolveProperty(ds, key);
        if (!schema) throw validationError(`filter_properties: ${key} is not a property that exists.`);
        only.add(schema.id);
      }
    }
    return {
      object: 'list',
      results: slice.map((p) => (p.dataSourceRow ? this.dataSourceResponse(this.dataSources.get(p.dataSourceRow)!) : this.pageResponse(p, only))),
      next_cursor: next ? next.id : null,
      has_more: next !== undefined,
      type: 'page_or_data_source',
      page_or_data_source: {},
      ...(incomplete ? { request_status: { type: 'incomplete', incomplete_reason: 'query_result_limit_reached' } } : {}),
    };
  }

  private sorter(ds: FakeDataSource, sorts: unknown): (a: FakePage, b: FakePage) => number {
    const bySeq = (a: FakePage, b: FakePage) => a.seq - b.seq;
    if (sorts === undefined) return bySeq;
    if (!Array.isArray(sorts)) throw validationError('body.sorts should be an array.');
    const keys = sorts.map((s, i) => {
      if (!isRecord(s)) throw validationError(`body.sorts[${i}] should be an object.`);
      const dir = s.direction === 'descending' ? -1 : 1;
      if (s.timestamp === 'created_time' || s.timestamp === 'last_edited_time') {
        const key = s.timestamp === 'created_time' ? 'createdTime' : 'lastEditedTime';
        return (a: FakePage, b: FakePage) => dir * a[key].localeCompare(b[key]);
      }
      const schema = typeof s.property === 'string' ? this.resolveProperty(ds, s.property) : undefined;
      if (!schema) throw validationError(`body.sorts[${i}].property does not exist.`);
      const sortValue = (p: FakePage): string | number => {
        const v = this.pageValue(p, schema);
        if (typeof v === 'number') return v;
        if (Array.isArray(v)) return v.map((x: RichTextItem | SelectOption) => ('plain_text' in x ? x.plain_text : x.name)).join('');
        if (isRecord(v)) return String(v.name ?? v.start ?? '');
        return v === null || v === undefined ? '' : String(v);
      };
      return (a: FakePage, b: FakePage) => {
        const x = sortValue(a);
        const y = sortValue(b);
        return dir * (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y)));
      };
    });
    return (a, b) => {
      for (const k of keys) {
        const c = k(a, b);
        if (c !== 0) return c;
      }
      return bySeq(a, b);
    };
  }

  // ---- blocks ---------------------------------------------------------------------------------

  /**
   * `GET /v1/blocks/:id/children` for a page: the page's child databases as `child_database`
   * blocks (block id = database id, title as plain text), oldest first; trashed ones are left out.
   * Row pages have no child blocks here.
   */
  listBlockChildren(rawId: string, query: URLSearchParams): Record<string, unknown> {
    const id = normaliseId(rawId);
    if (!id || (!this.parentPages.has(id) && !this.pages.has(id))) throw notFound('block', rawId);
    const pageSize = query.has('page_size') ? Number(query.get('page_size')) : 100;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) throw validationError(`page_size should be a number between 1 and 100, instead was \`${query.get('page_size')}\`.`);
    const blocks = [...this.databases.values()].filter((db) => db.parentPageId === id && !db.rowOf && !db.inTrash);
    let start = 0;
    const cursor = query.get('start_cursor');
    if (cursor !== null) {
      start = blocks.findIndex((db) => db.id === normaliseId(cursor));
      if (start < 0) throw validationError('start_cursor should be a valid cursor returned by a previous request.');
    }
    const slice = blocks.slice(start, start + pageSize);
    const next = blocks[start + pageSize];
    return {
      object: 'list',
      results: slice.map((db) => ({
        object: 'block',
        id: db.id,
        parent: { type: 'page_id', page_id: db.parentPageId },
        created_time: db.createdTime,
        last_edited_time: db.lastEditedTime,
        created_by: { object: 'user', id: db.createdBy },
        last_edited_by: { object: 'user', id: db.createdBy },
        has_children: false,
        in_trash: db.inTrash,
        archived: db.inTrash,
        type: 'child_database',
        child_database: { title: plainText(db.title) },
      })),
      next_cursor: next ? next.id : null,
      has_more: next !== undefined,
      type: 'block',
      block: {},
    };
  }

  // ---- inspection helpers for tests -----------------------------------------------------------

  /**
   * Makes a data source that shows up as a row of `parentDataSourceId`'s queries, as the child
   * databases of a wiki do: the query's results then hold an `object: "data_source"` item (the
   * full data source object) among the pages, unless the query sets `result_type: "page"`.
   * Returns the new data source's id.
   */
  addDataSourceRow(parentDataSourceId: string, title = 'Reading notes'): string {
    const parent = this.getDataSource(parentDataSourceId);
    const parentDb = this.databases.get(parent.databaseId)!;
    const now = this.timestamp();
    const dbId = newUuid();
    const ds: FakeDataSource = { id: newUuid(), databaseId: dbId, title: textItems(title), properties: new Map(), createdTime: now, lastEditedTime: now, inTrash: false };
    ds.properties.set('title', { id: 'title', name: 'Name', type: 'title', description: null, config: {} });
    this.databases.set(dbId, {
      id: dbId,
      parentPageId: parentDb.parentPageId,
      title: ds.title,
      isInline: true,
      dataSourceIds: [ds.id],
      createdTime: now,
      lastEditedTime: now,
      inTrash: false,
      createdBy: this.personUserId,
      rowOf: parent.id,
    });
    this.dataSources.set(ds.id, ds);
    this.dataSourceRows.set(ds.id, {
      id: ds.id,
      dataSourceId: parent.id,
      values: new Map(),
      icon: null,
      cover: null,
      createdTime: now,
      lastEditedTime: now,
      inTrash: false,
      seq: this.seq++,
      createdBy: this.personUserId,
      lastEditedBy: this.personUserId,
      dataSourceRow: ds.id,
    });
    return ds.id;
  }

  /** Pages of a data source (trashed ones only with `includeTrashed`), in creation order. */
  listPages(dataSourceId: string, options: { includeTrashed?: boolean } = {}): FakePage[] {
    const id = normaliseId(dataSourceId);
    return [...this.pages.values()].filter((p) => p.dataSourceId === id && (options.includeTrashed || !p.inTrash)).sort((a, b) => a.seq - b.seq);
  }

  /** A page's values as plain JS: text as strings, selects as names, relations as id arrays. */
  plainValues(page: FakePage): Record<string, unknown> {
    const ds = this.dataSources.get(page.dataSourceId)!;
    const out: Record<string, unknown> = {};
    for (const schema of ds.properties.values()) {
      const v = this.pageValue(page, schema);
      switch (schema.type) {
        case 'title':
        case 'rich_text':
          out[schema.name] = plainText(v as RichTextItem[]);
          break;
        case 'select':
        case 'status':
          out[schema.name] = (v as SelectOption | null)?.name ?? null;
          break;
        case 'multi_select':
          out[schema.name] = (v as SelectOption[]).map((o) => o.name);
          break;
        case 'relation':
          out[schema.name] = (v as { id: string }[]).map((r) => r.id);
          break;
        case 'date':
          out[schema.name] = (v as { start: string } | null)?.start ?? null;
          break;
        case 'files':
          out[schema.name] = (v as { external: { url: string } }[]).map((f) => f.external.url);
          break;
        default:
          out[schema.name] = v;
      }
    }
    return out;
  }

  /** Sets a page's property as a person would in the Notion UI (no request counted, no faults). */
  editByHand(pageId: string, properties: Record<string, unknown>): void {
    this.updatePage(pageId, { properties }, this.personUserId);
  }

  /** Creates a row as a person would in the UI, e.g. to seed a user's own tracker. */
  createByHand(dataSourceId: string, properties: Record<string, unknown>): string {
    return (this.createPage({ parent: { data_source_id: dataSourceId }, properties }, this.personUserId) as { id: string }).id;
  }
}

export { NotionHttpError, textItems };
