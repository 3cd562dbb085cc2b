import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeAuthState } from './auth-state.js';
import { generateLibrary, type FakeLibrary, type FakeOwnership } from './generate-library.js';
import { createPrng, type Prng } from './prng.js';
import { KNOWN_RESPONSE_GROUPS, renderLibraryItem, renderProduct } from './shapes.js';

export interface FakeFaults {
  /** Probability that an API call answers 429 (with `Retry-After`). */
  rate429?: number;
  /** Probability that an API call answers 503. */
  rate503?: number;
  /** `Retry-After` sent with injected 429s and 503s, in seconds; null sends none. */
  retryAfterSeconds?: number | null;
  /** Probability that a product is silently left out of a catalogue batch (first time asked only). */
  dropRate?: number;
  /** Artificial latency per request, in milliseconds. */
  latencyMs?: number;
}

/** A one-off answer for the next matching request(s), for tests that want an exact sequence. */
export interface QueuedFault {
  status: 401 | 403 | 429 | 500 | 503;
  /** Raw `Retry-After` header value (seconds or an HTTP date). */
  retryAfter?: string;
  /** Only requests whose path starts with this. Default: any `/1.0/` call. */
  pathPrefix?: string;
  /** How many requests it answers. Default 1. */
  times?: number;
}

export interface FakeAudibleOptions {
  titles?: number;
  series?: number;
  seed?: number;
  faults?: FakeFaults;
  /** Access-token lifetime handed out by register and refresh. Default 3600. */
  tokenLifetimeSeconds?: number;
  /** Which key a refresh answer carries the new token in (the newer app flow uses `actor_access_token`). */
  refreshTokenField?: 'access_token' | 'actor_access_token';
  /** The fake's clock, for token expiry and signature freshness. Default `Date.now`. */
  now?: () => number;
}

export interface FakeAudibleCounters {
  /** Requests per route: `signin`, `register`, `token`, `deregister`, `library`, `product`, `products`, `lastpositions`, `finished`. */
  requests: Record<string, number>;
  injected429: number;
  injected503: number;
  injectedQueued: number;
  droppedProducts: number;
  expiredTokenRejections: number;
  /** Rejections by reason: `bad_signature`, `stale_signature`, `unknown_token`, `revoked`, `missing`. */
  authRejections: Record<string, number>;
  /** Requests that carried a valid signature / only an access token. */
  signedRequests: number;
  tokenRequests: number;
  /** Largest `num_results` / batch sizes seen, to check the client keeps within limits. */
  maxLibraryPageSize: number;
  maxProductsBatch: number;
  maxLastPositionsBatch: number;
}

/** A request to Amazon's device-auth endpoints, as received: what a client sends at register and refresh. */
export interface FakeAuthRequest {
  route: 'register' | 'token';
  /** The JSON body (register) or the form fields (token). */
  body: Record<string, unknown>;
  /** The `x-amzn-identity-auth-domain` header (AudibleApi sends it), or null. */
  authDomain: string | null;
}

/** Where a malformed item is served: the library, the catalogue, or both. */
export type MalformedIn = 'library' | 'catalogue' | 'both';

export interface FakeAudibleState {
  readonly library: FakeLibrary;
  readonly auth: FakeAuthState;
  readonly counters: FakeAudibleCounters;
  /** Every register and token request received, oldest first. */
  readonly authRequests: FakeAuthRequest[];
  /**
   * Serves the item of `asin` with `fields` merged over it as raw JSON (`{ title: 42 }`,
   * `{ authors: 'x' }`), as a broken record in Audible's data would come: one bad item among good ones.
   */
  malformItem(asin: string, fields: Record<string, unknown>, where?: MalformedIn): void;
  /** Appends an entry to the finished-titles list as sent, malformed or not (on its first page). */
  addRawFinishedEvent(entry: unknown): void;
  /** Mutable at run time: set rates to 0 to stop faults. */
  faults: FakeFaults;
  queueFault(fault: QueuedFault): void;
  /** Every access token issued so far is expired from now on. */
  expireAccessTokens(): void;
  /** The user removed every device at Amazon (or changed the password): tokens and signatures stop working. */
  revokeAllDevices(): void;
  /** Changes what the account reports for an owned title, as listening on a phone would. */
  setProgress(asin: string, progress: { percentComplete: number; isFinished: boolean; finishedAt?: string | null; positionMs?: number | null }): void;
  resetCounters(): void;
}

export interface FakeAudible {
  /** Base of `api.audible.{domain}`: `/1.0/...`. */
  apiUrl: string;
  /** Base of `api.amazon.{domain}` and `www.amazon.{domain}`: `/auth/...`, `/ap/signin`. */
  amazonUrl: string;
  state: FakeAudibleState;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

function freshCounters(): FakeAudibleCounters {
  return {
    requests: {},
    injected429: 0,
    injected503: 0,
    injectedQueued: 0,
    droppedProducts: 0,
    expiredTokenRejections: 0,
    authRejections: {},
    signedRequests: 0,
    tokenRequests: 0,
    maxLibraryPageSize: 0,
    maxProductsBatch: 0,
    maxLastPositionsBatch: 0,
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json', ...headers });
  res.end(text);
}

function parseGroups(query: URLSearchParams): Set<string> {
  const raw = query.get('response_groups');
  const groups = new Set((raw ?? '').split(',').map((g) => g.trim()).filter(Boolean));
  for (const group of groups) {
    if (!KNOWN_RESPONSE_GROUPS.has(group)) throw new HttpError(400, { error_code: '000002', message: `Invalid response group: ${group}` });
  }
  return groups;
}

function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new HttpError(400, { error_code: '000001', message: `${name} must be an integer between ${min} and ${max}` });
  }
  return value;
}

function asinList(query: URLSearchParams, max: number): string[] {
  const asins = (query.get('asins') ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  if (asins.length === 0) throw new HttpError(400, { message: 'asins is required' });
  if (asins.length > max) throw new HttpError(400, { message: `at most ${max} asins per request` });
  return asins;
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** `2026-09-30 12:33:04.122`: the zone-less form the annotations API sometimes sends. */
function spacedUtc(iso: string): string {
  return iso.replace('T', ' ').replace('Z', '');
}

/**
 * Starts an HTTP-level fake of the Audible API (`apiUrl`) and Amazon's auth endpoints
 * (`amazonUrl`) on loopback ports, serving a generated library with the real paths and shapes.
 */
export async function startFakeAudible(options: FakeAudibleOptions = {}): Promise<FakeAudible> {
  const now = options.now ?? Date.now;
  const seed = options.seed ?? 1;
  const startedAt = now();
  const library = generateLibrary({
    titles: options.titles ?? 60,
    series: options.series ?? 10,
    seed,
    now: Math.floor(startedAt / 86_400_000) * 86_400_000,
  });
  const auth = new FakeAuthState(now);
  auth.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3600;
  const faultRng: Prng = createPrng(seed ^ 0x5eed);
  const queue: QueuedFault[] = [];
  const droppedOnce = new Set<string>();
  const ownedByAsin = new Map<string, FakeOwnership>(library.owned.map((o) => [o.asin, o]));
  const refreshField = options.refreshTokenField ?? 'access_token';
  const malformed = { library: new Map<string, Record<string, unknown>>(), catalogue: new Map<string, Record<string, unknown>>() };
  const rawFinished: unknown[] = [];
  const withMalformed = (where: 'library' | 'catalogue', asin: string, rendered: Record<string, unknown>) => {
    const fields = malformed[where].get(asin);
    return fields ? { ...rendered, ...fields } : rendered;
  };

  const state: FakeAudibleState = {
    library,
    auth,
    counters: freshCounters(),
    authRequests: [],
    malformItem(asin, fields, where = 'library') {
      if (where !== 'catalogue') malformed.library.set(asin, fields);
      if (where !== 'library') malformed.catalogue.set(asin, fields);
    },
    addRawFinishedEvent(entry) {
      rawFinished.push(entry);
    },
    faults: { retryAfterSeconds: 1, ...options.faults },
    queueFault(fault) {
      queue.push({ times: 1, ...fault });
    },
    expireAccessTokens: () => auth.expireAccessTokens(),
    revokeAllDevices() {
      for (const device of auth.devices.values()) auth.deactivate(device);
    },
    setProgress(asin, progress) {
      const owned = ownedByAsin.get(asin);
      if (!owned) throw new Error(`fake-audible: ${asin} is not owned`);
      owned.percentComplete = progress.percentComplete;
      owned.isFinished = progress.isFinished;
      if (progress.finishedAt !== undefined) owned.finishedAt = progress.finishedAt;
      if (progress.positionMs !== undefined) {
        owned.positionMs = progress.positionMs;
        owned.positionUpdatedAt = new Date(now()).toISOString();
      }
      if (progress.isFinished && progress.finishedAt) {
        library.finishedEvents.push({ asin, isMarkedAsFinished: true, eventTimestamp: progress.finishedAt });
      }
    },
    resetCounters() {
      Object.assign(state.counters, freshCounters());
    },
  };
  const count = (route: string) => {
    state.counters.requests[route] = (state.counters.requests[route] ?? 0) + 1;
  };

  function injectFaults(path: string): void {
    const index = queue.findIndex((f) => path.startsWith(f.pathPrefix ?? '/1.0/'));
    if (index >= 0) {
      const fault = queue[index]!;
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) queue.splice(index, 1);
      state.counters.injectedQueued++;
      const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {};
      throw new HttpError(fault.status, { message: fault.status === 401 ? 'Access token has expired' : `Injected ${fault.status}` }, headers);
    }
    const { rate429 = 0, rate503 = 0, retryAfterSeconds } = state.faults;
    const retryHeaders: Record<string, string> = retryAfterSeconds === null || retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) };
    if (faultRng.chance(rate429)) {
      state.counters.injected429++;
      throw new HttpError(429, { message: 'Too many requests' }, retryHeaders);
    }
    if (faultRng.chance(rate503)) {
      state.counters.injected503++;
      throw new HttpError(503, '<html><body>Service Unavailable</body></html>', retryHeaders);
    }
  }

  function authenticate(req: IncomingMessage, rawPath: string, body: string, required: boolean): void {
    const result = auth.check(req.method ?? 'GET', rawPath, body, req.headers);
    if (result.ok) {
      if (result.mode === 'signed') state.counters.signedRequests++;
      else state.counters.tokenRequests++;
      return;
    }
    // The catalogue answers anonymous callers; anything presented must still be valid.
    if (!required && result.reason === 'missing') return;
    if (result.reason === 'expired') state.counters.expiredTokenRejections++;
    else state.counters.authRejections[result.reason] = (state.counters.authRejections[result.reason] ?? 0) + 1;
    throw new HttpError(result.status, { message: result.message });
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawPath = req.url ?? '/';
    const url = new URL(rawPath, 'http://fake');
    const body = await readBody(req);
    const path = url.pathname;
    const query = url.searchParams;
    if (path.startsWith('/__fake/')) {
      handleControl(req.method ?? 'GET', path, body, res);
      return;
    }
    if (!path.startsWith('/1.0/')) throw new HttpError(404, { message: 'Not found' });
    const catalogue = path.startsWith('/1.0/catalog/');
    authenticate(req, rawPath, body, !catalogue);
    injectFaults(path);

    if (req.method === 'GET' && path === '/1.0/library') {
      count('library');
      const groups = parseGroups(query);
      const size = intParam(query, 'num_results', 50, 1, 1000);
      const page = intParam(query, 'page', 1, 1, 100_000);
      state.counters.maxLibraryPageSize = Math.max(state.counters.maxLibraryPageSize, size);
      const after = query.get('purchased_after');
      const items = after ? library.owned.filter((o) => o.purchaseDate > after) : library.owned;
      const slice = items.slice((page - 1) * size, page * size);
      send(res, 200, { items: slice.map((o) => withMalformed('library', o.asin, renderLibraryItem(library, o, groups))), response_groups: [...groups] }, {
        'total-count': String(items.length),
        'state-token': String(startedAt).padStart(13, '0').slice(-13),
      });
      return;
    }
    const single = /^\/1\.0\/catalog\/products\/([A-Z0-9]{10})$/.exec(path);
    if (req.method === 'GET' && single) {
      count('product');
      const groups = parseGroups(query);
      const product = library.products.get(single[1]!);
      if (!product) throw new HttpError(404, { error_code: '000404', message: 'Requested product not found' });
      send(res, 200, { product: withMalformed('catalogue', product.asin, renderProduct(library, product, groups)), response_groups: [...groups] });
      return;
    }
    if (req.method === 'GET' && path === '/1.0/catalog/products') {
      count('products');
      const groups = parseGroups(query);
      const asins = asinList(query, 50);
      state.counters.maxProductsBatch = Math.max(state.counters.maxProductsBatch, asins.length);
      const dropRate = state.faults.dropRate ?? 0;
      const products = [];
      for (const asin of asins) {
        const product = library.products.get(asin);
        if (!product) continue;
        // Audible's 200-with-items-missing: each product is dropped at most once, so asking again works.
        if (!droppedOnce.has(asin) && faultRng.chance(dropRate)) {
          droppedOnce.add(asin);
          state.counters.droppedProducts++;
          continue;
        }
        products.push(withMalformed('catalogue', asin, renderProduct(library, product, groups)));
      }
      send(res, 200, { products, response_groups: [...groups], total_results: products.length });
      return;
    }
    if (req.method === 'GET' && path === '/1.0/annotations/lastpositions') {
      count('lastpositions');
      const asins = asinList(query, 25);
      state.counters.maxLastPositionsBatch = Math.max(state.counters.maxLastPositionsBatch, asins.length);
      const annots = asins.map((asin) => {
        const owned = ownedByAsin.get(asin);
        if (!owned || owned.positionMs === null || owned.positionUpdatedAt === null) {
          return { asin, last_position_heard: { status: 'DoesNotExist' } };
        }
        // Both timestamp forms occur in the wild; alternate by ASIN so clients must parse both.
        const updated = asin.charCodeAt(9) % 2 === 0 ? spacedUtc(owned.positionUpdatedAt) : owned.positionUpdatedAt;
        return { asin, last_position_heard: { position_ms: owned.positionMs, last_updated: updated, status: 'Exists' } };
      });
      send(res, 200, { asin_last_position_heard_annots: annots, response_groups: ['always-returned'] });
      return;
    }
    if (req.method === 'GET' && path === '/1.0/stats/status/finished') {
      count('finished');
      const start = query.get('start_date');
      if (!start || !Number.isFinite(Date.parse(start))) throw new HttpError(400, { message: 'start_date is required (RFC 3339)' });
      const events = library.finishedEvents.filter((e) => e.eventTimestamp >= new Date(Date.parse(start)).toISOString());
      const offset = query.get('continuation_token') ? Number(Buffer.from(query.get('continuation_token')!, 'base64url').toString()) : 0;
      if (!Number.isInteger(offset) || offset < 0) throw new HttpError(400, { message: 'bad continuation_token' });
      const pageSize = 250;
      const slice = events.slice(offset, offset + pageSize);
      const next = offset + pageSize < events.length ? Buffer.from(String(offset + pageSize)).toString('base64url') : undefined;
      send(res, 200, {
        mark_as_finished_status_list: [
          ...(offset === 0 ? rawFinished : []),
          ...slice.map((e) => ({
            asin: e.asin,
            is_marked_as_finished: e.isMarkedAsFinished,
            event_timestamp: e.eventTimestamp,
            customer_id: 'amzn1.account.FAKE0CUSTOMER0ID',
          })),
        ],
        ...(next ? { continuation_token: next } : {}),
      });
      return;
    }
    throw new HttpError(404, { message: 'Not found' });
  }

  async function handleAmazon(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawPath = req.url ?? '/';
    const url = new URL(rawPath, 'http://fake');
    const body = await readBody(req);
    const path = url.pathname;
    const query = url.searchParams;

    if (req.method === 'GET' && path === '/ap/signin') {
      count('signin');
      const challenge = query.get('openid.oa2.code_challenge');
      const clientId = query.get('openid.oa2.client_id');
      const returnTo = query.get('openid.return_to');
      const handle = query.get('openid.assoc_handle') ?? '';
      if (
        !challenge ||
        query.get('openid.oa2.code_challenge_method') !== 'S256' ||
        query.get('openid.oa2.response_type') !== 'code' ||
        !clientId?.startsWith('device:') ||
        !returnTo?.endsWith('/ap/maplanding') ||
        !/^amzn_audible_ios_(lap_)?[a-z]{2}$/.test(handle) ||
        !query.get('marketPlaceId')
      ) {
        throw new HttpError(400, '<html><body>Bad sign-in request</body></html>');
      }
      // The user signs in; Amazon sends the browser to maplanding with the authorisation code.
      const code = auth.issueCode(challenge, clientId.slice('device:'.length));
      const landing = new URL(returnTo);
      landing.searchParams.set('openid.assoc_handle', handle);
      landing.searchParams.set('openid.mode', 'id_res');
      landing.searchParams.set('openid.oa2.authorization_code', code);
      landing.searchParams.set('openid.return_to', returnTo);
      send(res, 302, '', { location: landing.toString() });
      return;
    }
    if (req.method === 'GET' && path === '/ap/maplanding') {
      send(res, 404, '<html><body>Looking for something? We are sorry.</body></html>');
      return;
    }
    if (req.method === 'POST' && path === '/auth/register') {
      count('register');
      const json = parseJson(body);
      state.authRequests.push({ route: 'register', body: json, authDomain: header(req, 'x-amzn-identity-auth-domain') });
      const data = json.registration_data as Record<string, string> | undefined;
      const authData = json.auth_data as Record<string, string> | undefined;
      const types = json.requested_token_type as string[] | undefined;
      if (!data?.device_serial || !data.device_type || !authData?.authorization_code || !authData.code_verifier || !authData.client_id) {
        throw new HttpError(400, { response: { error: { code: 'InvalidInput', message: 'missing registration fields' } } });
      }
      if (!types?.includes('bearer') || !types.includes('mac_dms')) {
        throw new HttpError(400, { response: { error: { code: 'InvalidInput', message: 'bearer and mac_dms tokens must be requested' } } });
      }
      const expectedClientId = Buffer.from(`${data.device_serial}#${data.device_type}`, 'ascii').toString('hex');
      if (authData.client_id !== expectedClientId || !auth.redeemCode(authData.authorization_code, authData.code_verifier, authData.client_id)) {
        throw new HttpError(400, { response: { error: { code: 'Unauthorized', message: 'Invalid authorization code or verifier' } } });
      }
      const { device, accessToken } = auth.register(data.device_serial, data.device_type);
      send(res, 200, {
        response: {
          success: {
            extensions: {
              device_info: { device_name: "Jane's Audible for iPhone", device_serial_number: device.serial, device_type: device.deviceType },
              customer_info: { account_pool: 'Amazon', user_id: device.customerId, home_region: 'NA', name: 'Jane Doe', given_name: 'Jane' },
            },
            tokens: {
              website_cookies: [{ Path: '/', Secure: 'true', Value: 'fake-session', Expires: '31 Dec 2036 00:00:00 GMT', Domain: '.amazon.com', HttpOnly: 'false', Name: 'session-id' }],
              store_authentication_cookie: { cookie: 'fake-store-cookie' },
              mac_dms: { device_private_key: device.privateKeyPem, adp_token: device.adpToken },
              bearer: { access_token: accessToken, refresh_token: device.refreshToken, expires_in: String(auth.tokenLifetimeSeconds) },
            },
            customer_id: device.customerId,
          },
          request_id: 'fake-request',
        },
      });
      return;
    }
    if (req.method === 'POST' && path === '/auth/token') {
      count('token');
      const form = new URLSearchParams(body);
      state.authRequests.push({ route: 'token', body: Object.fromEntries(form), authDomain: header(req, 'x-amzn-identity-auth-domain') });
      if (form.get('source_token_type') !== 'refresh_token' || form.get('requested_token_type') !== 'access_token' || !form.get('app_name')) {
        throw new HttpError(400, { error: 'invalid_request', error_description: 'bad token request' });
      }
      const device = auth.deviceForRefreshToken(form.get('source_token') ?? '');
      if (!device) {
        throw new HttpError(400, { error: 'invalid_grant', error_description: 'The request has an invalid grant parameter : source_token' });
      }
      const token = auth.mintAccessToken(device);
      send(res, 200, { [refreshField]: token, token_type: 'bearer', expires_in: auth.tokenLifetimeSeconds });
      return;
    }
    if (req.method === 'POST' && path === '/auth/deregister') {
      count('deregister');
      const result = auth.check('POST', rawPath, body, req.headers);
      if (!result.ok) throw new HttpError(result.status, { message: result.message });
      auth.deactivate(result.device);
      send(res, 200, { response: { success: {} }, request_id: 'fake-request' });
      return;
    }
    throw new HttpError(404, { message: 'Not found' });
  }

  /**
   * Test control over HTTP, for a fake running in another process (the bench, a CLI demo):
   * `GET /__fake/counters`, `POST /__fake/reset-counters`, `POST /__fake/faults` (a FakeFaults
   * body), `POST /__fake/expire-tokens`, `POST /__fake/revoke-devices`.
   */
  function handleControl(method: string, path: string, body: string, res: ServerResponse): void {
    if (method === 'GET' && path === '/__fake/counters') return send(res, 200, state.counters);
    if (method !== 'POST') throw new HttpError(405, { message: 'Method not allowed' });
    if (path === '/__fake/reset-counters') state.resetCounters();
    else if (path === '/__fake/faults') state.faults = { ...(parseJson(body) as FakeFaults) };
    else if (path === '/__fake/expire-tokens') state.expireAccessTokens();
    else if (path === '/__fake/revoke-devices') state.revokeAllDevices();
    else throw new HttpError(404, { message: 'Not found' });
    send(res, 200, { ok: true });
  }

  function parseJson(body: string): Record<string, unknown> {
    try {
      const value: unknown = JSON.parse(body);
      if (value && typeof value === 'object') return value as Record<string, unknown>;
    } catch {
      // fall through to the 400 below
    }
    throw new HttpError(400, { message: 'body must be a JSON object' });
  }

  const wrap = (handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>) => (req: IncomingMessage, res: ServerResponse) => {
    const latency = state.faults.latencyMs ?? 0;
    const run = () =>
      handler(req, res).catch((error: unknown) => {
        if (error instanceof HttpError) send(res, error.status, error.body, error.headers);
        else send(res, 500, { message: error instanceof Error ? error.message : String(error) });
      });
    if (latency > 0) setTimeout(run, latency);
    else void run();
  };

  const apiServer = createServer(wrap(handleApi));
  const amazonServer = createServer(wrap(handleAmazon));
  const listen = (server: Server) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });
  const [apiPort, amazonPort] = await Promise.all([listen(apiServer), listen(amazonServer)]);
  const close = (server: Server) =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    apiUrl: `http://127.0.0.1:${apiPort}`,
    amazonUrl: `http://127.0.0.1:${amazonPort}`,
    state,
    close: async () => {
      await Promise.all([close(apiServer), close(amazonServer)]);
    },
  };
}
