import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { NotionHttpError } from './errors.js';
import { appliesWriteFirst, FAULT_KINDS, faultAnswer, type FaultKind, type FaultOptions, type ScriptedFault } from './faults.js';
import { seededRandom } from './random.js';
import { FakeWorkspace } from './state.js';
import { TokenBucket } from './token-bucket.js';

export const FAKE_NOTION_TOKEN = 'ntn_fake_notion_token';
const SUPPORTED_VERSIONS = new Set(['2022-06-28', '2025-09-03', '2026-03-11']);

export interface FakeNotionOptions {
  /** Average requests a second before 429s (token bucket); unlimited when absent. */
  requestsPerSecond?: number;
  /** Requests that may arrive at once; default max(1, requestsPerSecond). */
  burst?: number;
  /** Random faults on a share of the requests. */
  faults?: FaultOptions;
  /** Seed for faults and generated property ids. */
  seed?: number;
  /** The integration token accepted; default FAKE_NOTION_TOKEN. */
  token?: string;
  /** Row cap of one query, as Notion's 10,000. */
  queryResultCap?: number;
  port?: number;
}

export interface RequestRecord {
  method: string;
  /** `METHOD /v1/template`, e.g. `PATCH /v1/pages/:id`. */
  route: string;
  path: string;
  status: number;
  fault: FaultKind | null;
  at: number;
  body: unknown;
}

export interface FakeNotionStats {
  total: number;
  byRoute: Record<string, number>;
  /** 429s sent by the rate limiter (not injected faults). */
  rateLimited: number;
  faults: Partial<Record<FaultKind, number>>;
  requests: RequestRecord[];
}

export interface FakeNotion {
  url: string;
  token: string;
  state: FakeWorkspace;
  stats: FakeNotionStats;
  /** Forces the next matching requests to fail with `kind`. */
  injectFault(fault: ScriptedFault): void;
  /** Changes the random fault mix (rate 0 turns it off). */
  setFaults(faults: FaultOptions | undefined): void;
  resetStats(): void;
  close(): Promise<void>;
}

type Handler = (ctx: { params: string[]; body: Record<string, unknown>; query: URLSearchParams }) => unknown;

interface Route {
  method: string;
  pattern: RegExp;
  template: string;
  write: boolean;
  handle: Handler;
}

function routes(ws: FakeWorkspace): Route[] {
  const r = (method: string, template: string, handle: Handler): Route => ({
    method,
    template,
    write: method !== 'GET',
    pattern: new RegExp(`^${template.replace(/:id/g, '([^/]+)')}$`),
    handle,
  });
  return [
    r('GET', '/v1/users/me', () => ({ object: 'user', id: ws.botUserId, type: 'bot', name: 'SagaSync (fake)', bot: { owner: { type: 'workspace', workspace: true } } })),
    r('POST', '/v1/databases', ({ body }) => ws.createDatabase(body)),
    r('GET', '/v1/databases/:id', ({ params }) => ws.databaseResponse(ws.getDatabase(params[0]!))),
    r('PATCH', '/v1/databases/:id', ({ params, body }) => ws.updateDatabase(params[0]!, body)),
    r('GET', '/v1/data_sources/:id', ({ params }) => ws.dataSourceResponse(ws.getDataSource(params[0]!))),
    r('PATCH', '/v1/data_sources/:id', ({ params, body }) => ws.updateDataSource(params[0]!, body)),
    r('POST', '/v1/data_sources/:id/query', ({ params, body, query }) => ws.queryDataSource(params[0]!, body, query.getAll('filter_properties'))),
    r('POST', '/v1/pages', ({ body }) => ws.createPage(body)),
    r('GET', '/v1/pages/:id', ({ params, query }) => {
      const page = ws.getPage(params[0]!);
      const only = query.getAll('filter_properties');
      const ds = ws.dataSources.get(page.dataSourceId)!;
      return ws.pageResponse(page, only.length > 0 ? new Set(only.map((k) => ws.resolveProperty(ds, k)?.id ?? k)) : undefined);
    }),
    r('PATCH', '/v1/pages/:id', ({ params, body }) => ws.updatePage(params[0]!, body)),
    r('GET', '/v1/blocks/:id/children', ({ params, query }) => ws.listBlockChildren(params[0]!, query)),
  ];
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

/**
 * Starts a stateful HTTP fake of the Notion API (version 2025-09-03 endpoints used by SagaSync) on
 * 127.0.0.1. Point `@notionhq/client` at `url` with `baseUrl`.
 */
export async function startFakeNotion(options: FakeNotionOptions = {}): Promise<FakeNotion> {
  const random = seededRandom(options.seed ?? 1);
  const faultRandom = seededRandom((options.seed ?? 1) ^ 0x5eed);
  const token = options.token ?? FAKE_NOTION_TOKEN;
  const state = new FakeWorkspace({ random, queryResultCap: options.queryResultCap });
  const table = routes(state);
  const bucket = options.requestsPerSecond ? new TokenBucket(options.requestsPerSecond, options.burst ?? Math.max(1, options.requestsPerSecond)) : undefined;
  let faults = options.faults;
  const scripted: ScriptedFault[] = [];
  const stats: FakeNotionStats = { total: 0, byRoute: {}, rateLimited: 0, faults: {}, requests: [] };

  const pickFault = (method: string, route: string, path: string): { kind: FaultKind; retryAfter: number } | null => {
    const matches = (f: ScriptedFault) => (!f.method || f.method === method) && (!f.route || (typeof f.route === 'string' ? f.route === route || f.route === path : f.route.test(route) || f.route.test(path)));
    let i = -1;
    for (const [j, f] of scripted.entries()) {
      if (!matches(f)) continue;
      if ((f.skip ?? 0) > 0) {
        f.skip = f.skip! - 1;
        continue;
      }
      i = j;
      break;
    }
    if (i >= 0) {
      const f = scripted[i]!;
      f.times = (f.times ?? 1) - 1;
      if (f.times <= 0) scripted.splice(i, 1);
      return { kind: f.kind, retryAfter: f.retryAfterSeconds ?? 1 };
    }
    if (faults && faults.rate > 0 && faultRandom() < faults.rate) {
      const kinds = faults.kinds ?? FAULT_KINDS;
      return { kind: kinds[Math.floor(faultRandom() * kinds.length)]!, retryAfter: faults.retryAfterSeconds ?? 1 };
    }
    return null;
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      send(res, 500, { object: 'error', status: 500, code: 'internal_server_error', message: `fake-notion bug: ${String(error)}` });
    });
  });

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const requestId = randomUUID();
    const payload = typeof body === 'string' ? body : JSON.stringify(typeof body === 'object' && body !== null && (body as { object?: string }).object === 'error' ? { ...body, request_id: requestId } : body);
    res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/html' : 'application/json', 'x-notion-request-id': requestId, ...headers });
    res.end(payload);
  };

  const sendError = (res: ServerResponse, e: NotionHttpError) =>
    send(res, e.status, { object: 'error', status: e.status, code: e.code, message: e.message, ...(e.additionalData ? { additional_data: e.additionalData } : {}) }, e.headers);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.notion');
    const method = req.method ?? 'GET';
    const rawBody = await readBody(req);
    const matched = table.find((r) => r.method === method && r.pattern.test(url.pathname));
    const routeName = matched ? `${method} ${matched.template}` : `${method} ${url.pathname}`;
    let parsedBody: unknown;
    const record: RequestRecord = { method, route: routeName, path: url.pathname, status: 0, fault: null, at: Date.now(), body: undefined };
    stats.total += 1;
    stats.byRoute[routeName] = (stats.byRoute[routeName] ?? 0) + 1;
    stats.requests.push(record);
    const finish = (status: number) => {
      record.status = status;
    };
    try {
      if (req.headers.authorization !== `Bearer ${token}`) throw new NotionHttpError(401, 'unauthorized', 'API token is invalid.');
      const version = req.headers['notion-version'];
      if (typeof version !== 'string') throw new NotionHttpError(400, 'missing_version', 'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.');
      if (!SUPPORTED_VERSIONS.has(version)) throw new NotionHttpError(400, 'validation_error', `Notion-Version ${version} is not a supported version.`);
      if (bucket) {
        const waitMs = bucket.take();
        if (waitMs > 0) {
          stats.rateLimited += 1;
          throw new NotionHttpError(429, 'rate_limited', 'You have been rate limited. Please try again in a few minutes.', { 'retry-after': String(Math.ceil(waitMs / 1000)) }, { rate_limit_reason: 'integration_rate_limit' });
        }
      }
      if (!matched) throw new NotionHttpError(400, 'invalid_request_url', `Invalid request URL: ${method} ${url.pathname}.`);
      if (rawBody !== '') {
        try {
          parsedBody = JSON.parse(rawBody);
        } catch {
          throw new NotionHttpError(400, 'invalid_json', 'Error parsing JSON body.');
        }
      }
      record.body = parsedBody;
      const body = (typeof parsedBody === 'object' && parsedBody !== null ? parsedBody : {}) as Record<string, unknown>;
      const params = (matched.pattern.exec(url.pathname) ?? []).slice(1).map(decodeURIComponent);
      const fault = pickFault(method, routeName, url.pathname);
      if (fault) {
        record.fault = fault.kind;
        stats.faults[fault.kind] = (stats.faults[fault.kind] ?? 0) + 1;
        if (appliesWriteFirst(fault.kind) && matched.write) {
          try {
            matched.handle({ params, body, query: url.searchParams });
          } catch {
            // The write failed validation on its own: the answer is the fault anyway.
          }
        }
        const answer = faultAnswer(fault.kind, fault.retryAfter);
        if (answer.kind === 'reset') {
          finish(0);
          req.socket.destroy();
          return;
        }
        if (answer.kind === 'html') {
          finish(answer.status);
          return send(res, answer.status, answer.html);
        }
        throw answer.error;
      }
      const result = matched.handle({ params, body, query: url.searchParams });
      finish(200);
      send(res, 200, result);
    } catch (error) {
      if (error instanceof NotionHttpError) {
        finish(error.status);
        return sendError(res, error);
      }
      throw error;
    }
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    state,
    stats,
    injectFault: (fault) => scripted.push({ ...fault }),
    setFaults: (f) => {
      faults = f;
    },
    resetStats: () => {
      stats.total = 0;
      stats.byRoute = {};
      stats.rateLimited = 0;
      stats.faults = {};
      stats.requests = [];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
