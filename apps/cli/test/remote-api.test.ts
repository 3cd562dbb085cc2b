import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createInProcessJobRunner, createRouter, respond, routes } from '@sagasync/api';
import { createMemoryStorage } from '@sagasync/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { postImport } from '../src/runtime/remote-api.js';

/** The API's routes behind a bare node server, as a host serves them. */
async function apiServer() {
  const storage = createMemoryStorage();
  const jobs = createInProcessJobRunner();
  const router = createRouter(routes);
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const { found } = router.match(req.method!, new URL(req.url!, 'http://x').pathname);
      const reply = (status: number, value: unknown) => {
        res.statusCode = status;
        res.end(JSON.stringify(value));
      };
      if (!found) return reply(404, { error: { code: 'not_found', message: 'no route' } });
      void respond(found.route, { storage, ownerId: 'u1', jobs, services: {} }, { params: found.params, body: body ? JSON.parse(body) : undefined }).then((r) => reply(r.status, r.body));
    });
  };
  const server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { storage, server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

const title = (i: number) => ({ asin: `B2${String(i).padStart(8, '0')}`, title: `Volume ${i}`, authors: ['A'], narrators: [], owned: true, series: [] });

describe('postImport', () => {
  const servers: { close(): void }[] = [];
  afterEach(() => servers.splice(0).forEach((s) => s.close()));

  it('follows a large commit that the API runs as a job until it finishes', async () => {
    const api = await apiServer();
    servers.push(api.server);
    const records = { titles: Array.from({ length: 2_500 }, (_, i) => title(i)), series: [], progress: [] };
    const answer = await postImport(api.url, records, { commit: true, source: 'big.tsv', pollMs: 20 });
    expect(answer.committed).toBe(true);
    expect(answer.summary.titles.created).toBe(2_500);
    expect(answer.titles).toHaveLength(1_000);
    expect(await api.storage.countTitles('u1')).toBe(2_500);
  });

  it('reports an answer of another shape, and invalid records as exit 2', async () => {
    const odd = createServer((_req, res) => res.end(JSON.stringify({ hello: 'world' })));
    servers.push(odd);
    await new Promise<void>((r) => odd.listen(0, '127.0.0.1', r));
    const oddUrl = `http://127.0.0.1:${(odd.address() as { port: number }).port}`;
    await expect(postImport(oddUrl, { titles: [], series: [], progress: [] }, { commit: false, source: 'x' })).rejects.toThrow(/unexpected shape/);

    const api = await apiServer();
    servers.push(api.server);
    const bad = { titles: [{ ...title(1), asin: 'bad' }], series: [], progress: [] };
    await expect(postImport(api.url, bad, { commit: true, source: 'x' })).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('body.records.titles.0.asin') });
  });
});
