import { routes, type AnyRoute } from '@sagasync/api';
import type { LibraryRecords } from '@sagasync/core';
import { signNotionPayload } from '@sagasync/notion-mirror';
import { dumpLines, dumpOwner } from '@sagasync/storage';
import { HOST_ROUTES } from '@sagasync/host';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp, createLogger, type AppDeps } from '../src/index.js';
import { mountCronRoute } from '../src/scheduler/cron-route.js';
import { call, exampleLibrary, openStoresOf, serverFor, signWebhook, type Backend, type TestUser } from './harness.js';

/**
 * Users are isolated: every route, of the API's table and the server's own, is called with no
 * token, a wrong token, and user B's token (and B's signatures) against user A's data, for reads and
 * writes. Nothing of A's shows in an answer unless the request itself carried it, and A's records,
 * expiring records and directory entries are the same after as before.
 */

type Variant = 'none' | 'wrong' | 'other';
const VARIANTS: Variant[] = ['none', 'wrong', 'other'];

interface Req {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  raw?: string;
  /** The status this request must get; without it: no 5xx, and a refusal for `none` / `wrong`. */
  status?: number;
  /** Any 4xx will do (the route's own checks decide which). */
  refused?: boolean;
}

interface Fixture {
  a: TestUser & { notionPath: string; verificationToken: string };
  b: TestUser & { notionPath: string; verificationToken: string };
  asin: string;
  linkedAsin: string;
  trackerId: string;
  seriesName: string;
  conflictId: string;
  jobId: string;
  /** A's Audible sign-in in progress (its handle), when this server can start one. */
  signInId: string | null;
  bobRecords: LibraryRecords;
}

const WRONG_TOKEN = `ssk_${'x'.repeat(43)}`;
const WRONG_SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

/** A request of a bearer-token route as each variant sends it. */
function asUser(v: Variant, fx: Fixture, method: string, path: string, body?: unknown): Req {
  const token = v === 'none' ? undefined : v === 'wrong' ? WRONG_TOKEN : fx.b.token;
  return { method, path, ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}), ...(body === undefined ? {} : { body }) };
}

/** A signed webhook: with no token or a wrong one (signed with A's secret), or as B, signed by B, and as B signed with A's secret. */
function asWebhook(v: Variant, fx: Fixture, path: string, payload: unknown): Req[] {
  const raw = JSON.stringify(payload);
  const signed = (secret: string, token?: string): Req => ({ method: 'POST', path, raw, headers: { ...signWebhook(secret, raw), ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  if (v === 'none') return [signed(fx.a.webhookSecret)];
  if (v === 'wrong') return [signed(fx.a.webhookSecret, WRONG_TOKEN), signed(WRONG_SECRET, fx.a.token)];
  return [signed(fx.b.webhookSecret, fx.b.token), { ...signed(fx.a.webhookSecret, fx.b.token), status: 401 }];
}

const notionEvent = (pageId: string) => ({ id: `evt-${Math.random().toString(36).slice(2)}`, type: 'page.properties_updated', entity: { id: pageId, type: 'page' } });
const notionSigned = (path: string, event: unknown, token: string, status?: number): Req => {
  const raw = JSON.stringify(event);
  return { method: 'POST', path, raw, headers: { 'x-notion-signature': signNotionPayload(raw, token) }, ...(status ? { status } : {}) };
};

/** One case per route id of `@sagasync/api`'s table: a new route without one fails the test. */
const apiCases: Record<string, (v: Variant, fx: Fixture) => Req | Req[]> = {
  importLibrary: (v, fx) => asUser(v, fx, 'POST', '/api/import', { records: fx.bobRecords, commit: true }),
  listBooks: (v, fx) => asUser(v, fx, 'GET', '/api/books?limit=100'),
  exportLibrary: (v, fx) => asUser(v, fx, 'GET', '/api/export'),
  status: (v, fx) => asUser(v, fx, 'GET', '/api/status'),
  recomputeSeries: (v, fx) => asUser(v, fx, 'POST', '/api/series/recompute'),
  listSeries: (v, fx) => asUser(v, fx, 'GET', '/api/series'),
  showSeries: (v, fx) => ({ ...asUser(v, fx, 'GET', `/api/series/${encodeURIComponent(fx.seriesName)}`), ...(v === 'other' ? { status: 404 } : {}) }),
  recordListeningEvent: (v, fx) => ({ ...asUser(v, fx, 'POST', `/api/progress/${fx.asin}/events`, { kind: 'finished' }), ...(v === 'other' ? { status: 404 } : {}) }),
  progressHistory: (v, fx) => ({ ...asUser(v, fx, 'GET', `/api/progress/${fx.asin}/history`), ...(v === 'other' ? { status: 404 } : {}) }),
  match: (v, fx) => asUser(v, fx, 'POST', '/api/match', { text: trackerCsv(fx.trackerId), commit: true }),
  listConflicts: (v, fx) => asUser(v, fx, 'GET', '/api/conflicts?status=all'),
  resolveConflict: (v, fx) => ({ ...asUser(v, fx, 'POST', `/api/conflicts/${fx.conflictId}/resolve`, { link: fx.asin }), ...(v === 'other' ? { status: 404 } : {}) }),
  link: (v, fx) => asUser(v, fx, 'POST', '/api/links', { asin: fx.linkedAsin, trackerId: fx.trackerId, source: 'goodreads' }),
  unlink: (v, fx) => asUser(v, fx, 'DELETE', `/api/links/${fx.linkedAsin}?source=goodreads`),
  notionStatus: (v, fx) => asUser(v, fx, 'GET', '/api/notion/status'),
  notionPush: (v, fx) => asUser(v, fx, 'POST', '/api/notion/push', { dryRun: false }),
  audibleStatus: (v, fx) => asUser(v, fx, 'GET', '/api/audible/status'),
  audibleSync: (v, fx) => asUser(v, fx, 'POST', '/api/audible/sync'),
  audibleLink: (v, fx) => asUser(v, fx, 'POST', '/api/audible/link', { asin: fx.linkedAsin, trackerId: fx.trackerId, source: 'goodreads' }),
  audibleConflicts: (v, fx) => asUser(v, fx, 'GET', '/api/audible/conflicts?status=all'),
  audibleResolveConflict: (v, fx) => ({ ...asUser(v, fx, 'POST', `/api/audible/conflicts/${fx.conflictId}/resolve`, { none: true }), ...(v === 'other' ? { status: 404 } : {}) }),
  getJob: (v, fx) => ({ ...asUser(v, fx, 'GET', `/api/jobs/${fx.jobId}`), ...(v === 'other' ? { status: 404 } : {}) }),
  webhookStarted: (v, fx) => asWebhook(v, fx, '/webhook/started', { asin: fx.asin, percent: 40 }),
  webhookFinished: (v, fx) => asWebhook(v, fx, '/webhook/finished', { asin: fx.asin }),
  // The table's bare path names no Notion connection: refused whoever calls.
  notionWebhook: (v, fx) => ({ ...notionSigned('/webhook/notion', notionEvent('page-a'), fx.a.verificationToken), status: 401 }),
  audibleAuth: (v, fx) => [
    asUser(v, fx, 'POST', '/api/audible/auth', { locale: 'us' }),
    // Finishing A's sign-in with A's handle: B can only ever name B's own sign-ins.
    ...(fx.signInId ? [{ ...asUser(v, fx, 'POST', '/api/audible/auth', { signInId: fx.signInId, redirectUrl: MAPLANDING }), refused: true }] : []),
  ],
  audibleConfig: (v, fx) => asUser(v, fx, 'GET', '/api/audible/config'),
  audibleConfigUpdate: (v, fx) => asUser(v, fx, 'PUT', '/api/audible/config', { enabled: false, dailyCap: 5 }),
};

const MAPLANDING = 'https://www.amazon.com/ap/maplanding?openid.assoc_handle=amzn_audible_ios_us&openid.oa2.authorization_code=ANdNAVhyhqirUelHGEHA&openid.mode=id_res';

/**
 * One case per route the server adds (`METHOD path` as Express holds it), in the order they run:
 * the Notion deliveries before B replaces and removes B's connection.
 */
const serverCases: Record<string, (v: Variant, fx: Fixture) => Req | Req[]> = {
  'GET /health': () => ({ method: 'GET', path: '/health', status: 200 }),
  'GET /ready': () => ({ method: 'GET', path: '/ready', status: 200 }),
  'GET /api/openapi.json': () => ({ method: 'GET', path: '/api/openapi.json', status: 200 }),
  'POST /webhook/notion/:connection': (v, fx) => {
    const [ownerPart] = fx.a.notionPath.slice('/webhook/notion/'.length).split('.');
    if (v === 'none') return { method: 'POST', path: `/webhook/notion/${ownerPart}.${'B'.repeat(43)}`, body: { verification_token: 'secret_hijack' }, status: 401 };
    if (v === 'wrong') return notionSigned(fx.a.notionPath, notionEvent('page-a'), 'secret_wrong', 401);
    return [
      // B's own connection: B has no Notion connected on this server.
      notionSigned(fx.b.notionPath, notionEvent('page-b'), fx.b.verificationToken, 422),
      // B's token on A's URL, A's token on B's URL, and a new handshake on A's verified connection.
      notionSigned(fx.a.notionPath, notionEvent('page-a'), fx.b.verificationToken, 401),
      notionSigned(fx.b.notionPath, notionEvent('page-a'), fx.a.verificationToken, 401),
      { method: 'POST', path: fx.a.notionPath, body: { verification_token: 'secret_hijack' }, status: 409 },
    ];
  },
  'GET /api/notion/webhook': (v, fx) => asUser(v, fx, 'GET', '/api/notion/webhook'),
  'POST /api/notion/webhook': (v, fx) => asUser(v, fx, 'POST', '/api/notion/webhook'),
  'DELETE /api/notion/webhook': (v, fx) => asUser(v, fx, 'DELETE', '/api/notion/webhook'),
  // The cron secret, not a user's token, runs every user's sync.
  'GET /api/cron/audible-sync': (v, fx) => ({ ...asUser(v, fx, 'GET', '/api/cron/audible-sync'), status: 401 }),
};

const CRON_SECRET = 'cron-secret-of-the-isolation-test';

const GOODREADS_HEADER =
  'Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,My Rating,Publisher,Binding,Number of Pages,Year Published,Original Publication Year,Date Read,Date Added,Bookshelves,Bookshelves with positions,Exclusive Shelf,My Review,Spoiler,Private Notes,Read Count,Owned Copies';
const goodreadsRow = (id: string, name: string, author: string) => `${id},"${name}",${author},,,"=""""","=""""",0,,,,,,,,,,read,,,,,`;
/** A tracker export with a book that links and one that is ambiguous (a conflict). */
const trackerCsv = (linkedId: string) => [GOODREADS_HEADER, goodreadsRow(linkedId, 'The Ember Throne (The Ember Throne, #1)', 'Mara Vell'), goodreadsRow('9100003', 'Starwake', '')].join('\n');

/** The routes the server's Express app adds, beside the host's request handler. */
function expressRoutes(): string[] {
  const app = createApp({
    stores: {} as AppDeps['stores'],
    sealer: {} as AppDeps['sealer'],
    log: createLogger('silent'),
    jobs: {} as AppDeps['jobs'],
    services: () => ({}),
    bodyLimit: '1mb',
    // What `startServer` mounts beside the app's own.
    extraRoutes: (express) => mountCronRoute(express, { cronSecret: null, scheduler: {} as Parameters<typeof mountCronRoute>[1]['scheduler'] }),
  });
  const stack = (app as unknown as { router: { stack: { route?: { path: string; stack: { method?: string }[] } }[] } }).router.stack;
  return stack.flatMap((layer) => (layer.route ? layer.route.stack.filter((s) => s.method).map((s) => `${s.method!.toUpperCase()} ${layer.route!.path}`) : []));
}

describe('the isolation cases', () => {
  it('cover every route of the API table and of the server', () => {
    expect(Object.keys(apiCases).sort()).toEqual(routes.map((r: AnyRoute) => r.id).sort());
    expect(Object.keys(serverCases).sort()).toEqual([...new Set([...HOST_ROUTES, ...expressRoutes()])].sort());
  });
});

describe.each<Backend>(['sqlite', 'postgres'])('users are isolated on %s', (backend) => {
  const server = serverFor(backend, { SAGASYNC_CRON_SECRET: CRON_SECRET });
  let fx: Fixture;

  async function expectOk(user: TestUser, method: string, path: string, body?: unknown, status = 200) {
    const answer = await call(server.url, method, path, { token: user.token, ...(body === undefined ? {} : { body }) });
    expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.json)}`).toBe(status);
    return answer.json;
  }

  async function waitForJob(user: TestUser, id: string) {
    for (let i = 0; i < 200; i++) {
      const job = await expectOk(user, 'GET', `/api/jobs/${id}`);
      if (job.state !== 'running') return job;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`job ${id} did not finish`);
  }

  async function notionConnection(user: TestUser, token: string) {
    const made = await expectOk(user, 'POST', '/api/notion/webhook', undefined, 201);
    const handshake = await call(server.url, 'POST', made.path, { body: { verification_token: token } });
    expect(handshake.status).toBe(200);
    return made.path as string;
  }

  /** Everything of A's the server keeps: library records, expiring records, directory entries. */
  async function snapshotOf(userId: string) {
    const stores = await openStoresOf(server);
    try {
      const now = new Date();
      const expiring: Record<string, unknown> = {};
      for (const kind of ['job', 'idempotency', 'webhook-id', 'notion-event']) expiring[kind] = (await stores.storage.listExpiring(userId, kind, now)).items;
      return {
        records: dumpLines(await dumpOwner(stores.storage, userId)),
        expiring,
        tokens: await stores.directory.listApiTokens(userId),
        webhookSecret: await stores.directory.getWebhookSecret(userId),
        schedule: await stores.directory.getSchedule(userId),
        accounts: await stores.directory.listAudibleAccounts(userId),
        user: await stores.directory.getUser(userId),
      };
    } finally {
      await stores.close();
    }
  }

  beforeAll(async () => {
    const a = await server.addUser(`alice-${backend}`);
    const b = await server.addUser(`bob-${backend}`);
    const records = await exampleLibrary();
    await call(server.url, 'POST', '/api/import', { token: a.token, body: { records, commit: true }, headers: { 'idempotency-key': 'alice-import' } });

    const asin = 'B0DEMO0013';
    await expectOk(a, 'POST', `/api/progress/${asin}/events`, { kind: 'progress', percent: 30 });
    const started = JSON.stringify({ asin: 'B0DEMO0014', percent: 5 });
    expect((await call(server.url, 'POST', '/webhook/started', { token: a.token, raw: started, headers: signWebhook(a.webhookSecret, started) })).status).toBe(200);

    const match = await expectOk(a, 'POST', '/api/match', { text: trackerCsv('9000001'), commit: true }, 202);
    const matched = await waitForJob(a, match.id);
    expect(matched.state, JSON.stringify(matched.error)).toBe('succeeded');
    const conflicts = await expectOk(a, 'GET', '/api/conflicts');
    expect(conflicts.items.length).toBeGreaterThan(0);
    // A link made by hand, besides the matcher's.
    await expectOk(a, 'DELETE', '/api/links/B0DEMO0001?source=goodreads');
    await expectOk(a, 'POST', '/api/links', { asin: 'B0DEMO0001', trackerId: '9000001', source: 'goodreads' });

    const aToken = `secret_alice_${backend}_verification`;
    const aPath = await notionConnection(a, aToken);
    // A signed event verifies A's connection (this server has no Notion services: 422).
    const event = JSON.stringify(notionEvent('page-a'));
    expect((await call(server.url, 'POST', aPath, { raw: event, headers: { 'x-notion-signature': signNotionPayload(event, aToken) } })).status).toBe(422);
    const bToken = `secret_bob_${backend}_verification`;
    const bPath = await notionConnection(b, bToken);

    // An Audible sign-in A has started, and A's sync settings.
    const signIn = await call(server.url, 'POST', '/api/audible/auth', { token: a.token, body: { locale: 'us' } });
    expect(signIn.status, JSON.stringify(signIn.json)).toBe(200);
    await expectOk(a, 'PUT', '/api/audible/config', { dailyCap: 10 });

    const [bobTitle] = records.titles;
    fx = {
      a: { ...a, notionPath: aPath, verificationToken: aToken },
      b: { ...b, notionPath: bPath, verificationToken: bToken },
      asin,
      linkedAsin: 'B0DEMO0001',
      trackerId: '9000001',
      seriesName: 'The Ember Throne',
      conflictId: conflicts.items[0].id,
      jobId: match.id,
      signInId: signIn.json.signInId as string,
      bobRecords: { titles: [{ ...bobTitle!, asin: 'B0BOB00001', title: 'A Book Only Bob Owns', subtitle: null, series: [] }], series: [], progress: [] },
    };
  });

  it("answers no one A's data and changes none of it", async () => {
    const before = await snapshotOf(fx.a.user.id);
    expect(before.records.some((line) => line.startsWith('conflicts\t'))).toBe(true);
    expect(before.records.some((line) => line.startsWith('links\t'))).toBe(true);
    expect(before.records.some((line) => line.startsWith('history\t'))).toBe(true);
    expect((before.expiring.job as unknown[]).length).toBeGreaterThan(0);

    // What only A (and the server) knows: secrets, ids and the library's text.
    const library = await exampleLibrary();
    const markers = [
      fx.a.user.id,
      fx.a.user.name,
      fx.a.token,
      fx.a.webhookSecret,
      fx.a.verificationToken,
      fx.a.notionPath.split('.').at(-1)!,
      fx.a.notionPath.slice('/webhook/notion/'.length).split('.')[0]!,
      fx.jobId,
      fx.conflictId,
      ...library.titles.map((t) => t.title),
    ];

    const seen = { api: new Set<string>(), server: new Set<string>() };
    const failures: string[] = [];
    for (const [table, cases] of [
      ['api', apiCases],
      ['server', serverCases],
    ] as const) {
      for (const [id, build] of Object.entries(cases)) {
        seen[table].add(id);
        for (const variant of VARIANTS) {
          for (const req of [build(variant, fx)].flat()) {
            const answer = await call(server.url, req.method, req.path, {
              ...(req.headers ? { headers: req.headers } : {}),
              ...(req.body !== undefined ? { body: req.body } : {}),
              ...(req.raw !== undefined ? { raw: req.raw } : {}),
            });
            const label = `${id} [${variant}] ${req.method} ${req.path} -> ${answer.status} ${JSON.stringify(answer.json).slice(0, 200)}`;
            const public_ = req.status === 200 && req.headers?.authorization === undefined && req.method === 'GET';
            if (req.status !== undefined) {
              if (answer.status !== req.status) failures.push(`expected ${req.status}: ${label}`);
            } else if (req.refused) {
              if (answer.status < 400 || answer.status >= 500) failures.push(`expected a refusal: ${label}`);
            } else if (variant !== 'other' && !public_) {
              if (answer.status !== 401) failures.push(`expected 401: ${label}`);
            }
            if (answer.status >= 500) failures.push(`server error: ${label}`);
            const sent = `${decodeURIComponent(req.path)} ${JSON.stringify(req.headers ?? {})} ${req.raw ?? JSON.stringify(req.body ?? null)}`;
            const text = JSON.stringify(answer.json) + JSON.stringify([...answer.headers]);
            for (const marker of markers) if (text.includes(marker) && !sent.includes(marker)) failures.push(`leaks "${marker}": ${label}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(seen.api.size).toBe(routes.length);

    // B's jobs (a match, a push) run after their 202: let them finish, so one writing to A would show.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await snapshotOf(fx.a.user.id)).toEqual(before);
    // A's token still works, and A's library is whole.
    const books = await expectOk(fx.a, 'GET', '/api/books?limit=100');
    expect(books.items.length).toBe(library.titles.length);
    // B saw only B's own library.
    const bBooks = await expectOk(fx.b, 'GET', '/api/books?limit=100');
    expect(bBooks.items.map((book: { asin: string }) => book.asin)).toEqual(['B0BOB00001']);
  });
});
