import { Writable } from 'node:stream';
import type { ApiServices } from '@sagasync/api';
import type { User } from '@sagasync/core';
import { signNotionPayload } from '@sagasync/notion-mirror';
import { dumpLines, dumpOwner } from '@sagasync/storage';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/index.js';
import { appBeside, call, openStoresOf, serverFor, type Backend, type TestUser } from './harness.js';

/** What the fake Notion services saw: the owner and the event of each call. */
const pulls: { ownerId: string; event: unknown }[] = [];
/** Users with Notion connected; the others get no `notionWebhook` service (config_missing). */
const connected = new Set<string>();
const services = (user: User): ApiServices =>
  connected.has(user.id)
    ? {
        notionWebhook: async (ctx, event) => {
          pulls.push({ ownerId: ctx.ownerId, event });
          return { pulled: (event as { entity: { id: string } }).entity.id };
        },
      }
    : {};

const logLines: string[] = [];
const logSink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logLines.push(chunk.toString('utf8'));
    done();
  },
});

let n = 0;
const pageEvent = (pageId = 'page-1') => ({
  id: `evt-${++n}`,
  timestamp: new Date().toISOString(),
  type: 'page.properties_updated',
  authors: [{ id: 'person-1', type: 'person' }],
  entity: { id: pageId, type: 'page' },
});

describe.each<Backend>(['sqlite', 'postgres'])('POST /webhook/notion on %s', (backend) => {
  const server = serverFor(backend);
  const app = appBeside(server, { services, log: createLogger('info', logSink) });

  /** A user with a Notion connection whose handshake is done; its URL path and verification token. */
  async function connectedUser(name: string, options: { notion?: boolean } = {}) {
    const user = await server.addUser(`${name}-${backend}`);
    if (options.notion !== false) connected.add(user.user.id);
    const made = await call(app.url, 'POST', '/api/notion/webhook', { token: user.token });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    const path = made.json.path as string;
    const verificationToken = `secret_${name}_${Math.random().toString(36).slice(2)}`;
    expect(await call(app.url, 'POST', path, { body: { verification_token: verificationToken } })).toMatchObject({ status: 200, json: { received: 'verification_token' } });
    return { ...user, path, verificationToken };
  }

  const deliver = (path: string, event: unknown, token: string) => {
    const raw = JSON.stringify(event);
    return call(app.url, 'POST', path, { raw, headers: { 'x-notion-signature': signNotionPayload(raw, token) } });
  };

  it('makes a connection URL, keeps the handshake token sealed, and shows it to the owner only', async () => {
    const alice = await server.addUser(`alice-${backend}`);
    expect((await call(app.url, 'POST', '/api/notion/webhook')).status).toBe(401);
    expect((await call(app.url, 'GET', '/api/notion/webhook', { token: alice.token })).status).toBe(404);
    const made = await call(app.url, 'POST', '/api/notion/webhook', { token: alice.token });
    expect(made.status).toBe(201);
    expect(made.json.path).toMatch(/^\/webhook\/notion\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(made.json.url).toBe(`${app.url}${made.json.path}`);
    expect(await call(app.url, 'GET', '/api/notion/webhook', { token: alice.token })).toMatchObject({ status: 200, json: { verificationToken: null, tokenReceivedAt: null, verifiedAt: null } });

    const token = 'secret_notion_handshake_token_1234567890';
    expect(await call(app.url, 'POST', made.json.path, { body: { verification_token: token } })).toMatchObject({ status: 200 });
    const shown = await call(app.url, 'GET', '/api/notion/webhook', { token: alice.token });
    expect(shown.json).toMatchObject({ verificationToken: token, verifiedAt: null });
    expect(shown.json.tokenReceivedAt).toEqual(expect.any(String));

    // Neither the token nor the URL's secret is in the store as text.
    const stores = await openStoresOf(server);
    try {
      const lines = dumpLines(await dumpOwner(stores.storage, alice.user.id)).join('\n');
      expect(lines).toContain('notion-webhook-verification-token');
      expect(lines).not.toContain(token);
      expect(lines).not.toContain(String(made.json.path).split('.').at(-1));
    } finally {
      await stores.close();
    }
    // Nor in the request logs.
    const logs = logLines.join('');
    expect(logs).toContain('/webhook/notion/[redacted]');
    expect(logs).not.toContain(String(made.json.path).split('.').at(-1));
    expect(logs).not.toContain(token);
  });

  it("pulls the changed page as the connection's owner for a signed event, once per event id", async () => {
    const bob = await connectedUser('bob');
    const event = pageEvent('page-bob');
    const first = await deliver(bob.path, event, bob.verificationToken);
    expect(first).toMatchObject({ status: 200, json: { pulled: 'page-bob' } });
    expect(pulls.filter((p) => p.ownerId === bob.user.id)).toEqual([{ ownerId: bob.user.id, event }]);
    // Notion retries a delivery: applied once.
    expect(await deliver(bob.path, event, bob.verificationToken)).toMatchObject({ status: 200, json: { ignored: 'duplicate', id: event.id } });
    expect(pulls.filter((p) => p.ownerId === bob.user.id)).toHaveLength(1);
    // The first signed event proves the token: a new handshake can no longer replace it.
    expect((await call(app.url, 'GET', '/api/notion/webhook', { token: bob.token })).json.verifiedAt).toEqual(expect.any(String));
    expect(await call(app.url, 'POST', bob.path, { body: { verification_token: 'secret_attacker' } })).toMatchObject({ status: 409, json: { error: { code: 'already_exists' } } });
    expect((await call(app.url, 'GET', '/api/notion/webhook', { token: bob.token })).json.verificationToken).toBe(bob.verificationToken);
  });

  it('refuses unsigned, mis-signed and misdirected deliveries with 401, saying nothing about users', async () => {
    const carol = await connectedUser('carol');
    const dave = await connectedUser('dave');
    const before = pulls.length;
    const event = pageEvent();
    const raw = JSON.stringify(event);
    const unsigned = await call(app.url, 'POST', carol.path, { raw });
    expect(unsigned).toMatchObject({ status: 401, json: { error: { code: 'auth_failed', location: 'headers.x-notion-signature' } } });
    expect(await deliver(carol.path, event, 'secret_wrong')).toMatchObject({ status: 401, json: { error: { location: 'headers.x-notion-signature' } } });
    // Signed with another user's token, or posted to another user's URL.
    expect((await deliver(carol.path, event, dave.verificationToken)).status).toBe(401);
    expect((await deliver(dave.path, event, carol.verificationToken)).status).toBe(401);
    // A signature over other bytes than those sent.
    expect((await call(app.url, 'POST', carol.path, { raw: `${raw} `, headers: { 'x-notion-signature': signNotionPayload(raw, carol.verificationToken) } })).status).toBe(401);

    const [ownerPart] = carol.path.slice('/webhook/notion/'.length).split('.');
    const unknown = [
      `/webhook/notion/${ownerPart}.${'A'.repeat(43)}`,
      `/webhook/notion/${Buffer.from('no-such-user').toString('base64url')}.${'A'.repeat(43)}`,
      '/webhook/notion/garbage',
      `/webhook/notion/${ownerPart}`,
    ];
    const answers = await Promise.all(unknown.map((path) => call(app.url, 'POST', path, { body: { verification_token: 'secret_attacker' } })));
    for (const answer of answers) expect(answer).toMatchObject({ status: 401, json: { error: { code: 'auth_failed', location: 'path' } } });
    expect(new Set(answers.map((a) => a.json.error.message)).size).toBe(1);
    // The API table's bare path names no connection.
    expect((await deliver('/webhook/notion', event, carol.verificationToken)).status).toBe(401);
    expect(pulls.length).toBe(before);
    expect((await call(app.url, 'GET', '/api/notion/webhook', { token: carol.token })).json.verificationToken).toBe(carol.verificationToken);
  });

  it('answers config_missing for a user without Notion connected, and applies the event once they connect', async () => {
    const erin = await connectedUser('erin', { notion: false });
    const event = pageEvent('page-erin');
    expect(await deliver(erin.path, event, erin.verificationToken)).toMatchObject({ status: 422, json: { error: { code: 'config_missing' } } });
    connected.add(erin.user.id);
    expect(await deliver(erin.path, event, erin.verificationToken)).toMatchObject({ status: 200, json: { pulled: 'page-erin' } });
  });

  it('a new connection replaces the old URL and token; removing it stops deliveries', async () => {
    const frank = await connectedUser('frank');
    const again = await call(app.url, 'POST', '/api/notion/webhook', { token: frank.token });
    expect(again.json.path).not.toBe(frank.path);
    expect((await deliver(frank.path, pageEvent(), frank.verificationToken)).status).toBe(401);
    expect((await call(app.url, 'GET', '/api/notion/webhook', { token: frank.token })).json).toMatchObject({ verificationToken: null, verifiedAt: null });
    // Before the handshake an event has nothing to be checked against.
    expect((await deliver(again.json.path, pageEvent(), frank.verificationToken)).status).toBe(401);

    expect(await call(app.url, 'DELETE', '/api/notion/webhook', { token: frank.token })).toMatchObject({ status: 200, json: { removed: true } });
    expect(await call(app.url, 'DELETE', '/api/notion/webhook', { token: frank.token })).toMatchObject({ status: 200, json: { removed: false } });
    expect((await call(app.url, 'POST', again.json.path, { body: { verification_token: 'secret_x' } })).status).toBe(401);
    expect((await call(app.url, 'PUT', '/api/notion/webhook', { token: frank.token })).status).toBe(405);
  });

  it('stops answering for a removed user', async () => {
    const gina: TestUser & { path: string; verificationToken: string } = await connectedUser('gina');
    expect((await server.cli(['user', 'remove', `gina-${backend}`])).code).toBe(0);
    expect((await deliver(gina.path, pageEvent(), gina.verificationToken)).status).toBe(401);
  });
});
