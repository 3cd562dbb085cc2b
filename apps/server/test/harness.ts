import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { createTestDatabase } from '@sagasync/test-services/vitest';
import { afterAll, beforeAll } from 'vitest';
import { createLogger, loadSettings, runServerCli, startServer, type RunningServer } from '../src/index.js';

export const SECRET = Buffer.alloc(32, 9).toString('base64');

export type Backend = 'sqlite' | 'postgres';


export interface TestUser {
  user: { id: string; name: string };
  token: string;
  webhookSecret: string;
}

/**
 * A server for the suite on `backend`, listening on a free loopback port, with `env` for its
 * settings; `addUser` runs `sagasync-server user add --json` against the same store.
 */
export function serverFor(backend: Backend, extraEnv: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sagasync-server-test-'));
  const state = { server: null as RunningServer | null, env: {} as Record<string, string>, db: null as Awaited<ReturnType<typeof createTestDatabase>> | null };
  beforeAll(async () => {
    state.env = { HOST: '127.0.0.1', PORT: '0', SAGASYNC_SECRET: SECRET, SAGASYNC_STORE: join(dir, 'store.db'), LOG_LEVEL: 'silent', ...extraEnv };
    if (backend === 'postgres') {
      state.db = await createTestDatabase('server');
      state.env.DATABASE_URL = state.db.url;
    }
    state.server = await startServer(loadSettings(state.env, dir), { log: createLogger('silent') });
  });
  afterAll(async () => {
    await state.server?.close();
    await state.db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  const cli = async (args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runServerCli(args, { stdout: { write: (s) => (stdout += s) }, stderr: { write: (s) => (stderr += s) }, env: state.env, cwd: dir });
    return { code, stdout, stderr };
  };
  return {
    dir,
    get url(): string {
      return state.server!.url;
    },
    get env() {
      return state.env;
    },
    cli,
    async addUser(name: string): Promise<TestUser> {
      const result = await cli(['user', 'add', name, '--json']);
      if (result.code !== 0) throw new Error(result.stderr);
      return JSON.parse(result.stdout) as TestUser;
    },
  };
}

/** A request to the server; `token` adds the bearer header. */
export async function call(base: string, method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  } else if (options.raw !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${base}${path}`, { method, headers, body });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  // Tests read answers of every route's shape; a loose type keeps them short.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, headers: response.headers, json: json as Record<string, any> };
}

/** The headers of a Standard Webhooks signature over `payload`, as a sender computes them. */
export function signWebhook(secret: string, payload: string, options: { id?: string; at?: Date } = {}): Record<string, string> {
  const id = options.id ?? `msg_${Math.random().toString(36).slice(2)}`;
  const at = options.at ?? new Date();
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, payload),
  };
}

// The helpers below came after the file's first version; their imports are here with them.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppDeps } from '../src/index.js';

/** The example library (examples/library.tsv), parsed as `sagasync import` parses it. */
export async function exampleLibrary() {
  const { parseExportFile } = await import('@sagasync/audible-parser');
  const parsed = await parseExportFile(join(import.meta.dirname, '../../../examples/library.tsv'));
  if (!parsed.success) throw new Error('the example library does not parse');
  return parsed.value.records;
}

/** The store a `serverFor` server runs on, opened beside it (same SQLite file or database). */
export async function openStoresOf(server: ReturnType<typeof serverFor>) {
  const { openStores } = await import('../src/index.js');
  return openStores(loadSettings(server.env, server.dir));
}

/** A second server on the same store and settings: another instance, as behind a load balancer. */
export async function startAnotherServer(server: ReturnType<typeof serverFor>): Promise<RunningServer> {
  return startServer(loadSettings(server.env, server.dir), { log: createLogger('silent') });
}

/**
 * An app of `createApp` beside a `serverFor` server (same store and key), listening on a loopback
 * port, with the deps a test gives (fake services, a logger to read).
 */
export function appBeside(server: ReturnType<typeof serverFor>, deps: Pick<AppDeps, 'services'> & Partial<Omit<AppDeps, 'stores' | 'sealer'>>) {
  const state = { url: '', close: async () => undefined as void };
  beforeAll(async () => {
    const [{ openStores, createApp }, { createCredentialSealer }, { createInProcessJobRunner }] = await Promise.all([
      import('../src/index.js'),
      import('@sagasync/storage'),
      import('@sagasync/api'),
    ]);
    const stores = await openStores(loadSettings(server.env, server.dir));
    const app = createApp({ stores, sealer: createCredentialSealer({ secret: SECRET }), log: createLogger('silent'), jobs: createInProcessJobRunner(), bodyLimit: '10mb', ...deps });
    const listening = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    state.url = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
    state.close = async () => {
      listening.closeAllConnections();
      await new Promise((resolve) => listening.close(resolve));
      await stores.close();
    };
  });
  afterAll(async () => state.close());
  return {
    get url() {
      return state.url;
    },
  };
}
