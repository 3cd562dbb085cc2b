import { inspect } from 'node:util';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startFakeSecretsManager, type FakeSecretsManager } from '@sagasync/fake-secrets-manager';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { jsonLogger } from '../src/runtime/log.js';
import { loadSecrets } from '../src/runtime/secrets.js';

// Values that must never appear in anything written or thrown.
const SAGASYNC_SECRET = 'c2FnYXN5bmMtdGVzdC1zZWNyZXQtdmFsdWUtMzJieXQ=';
const NOTION_TOKEN = 'ntn_NotionTokenThatMustNeverBeLogged0001';

let fake: FakeSecretsManager;
const clients: SecretsManagerClient[] = [];
let ids = 0;

/** Fresh secret ids per test: the cache is per container (module), keyed by the ids. */
function names(): { sagasyncSecretId: string; notionTokenId: string } {
  ids += 1;
  return { sagasyncSecretId: `test${ids}/sagasync`, notionTokenId: `test${ids}/notion` };
}

function client(options: { region?: string; maxAttempts?: number } = {}): SecretsManagerClient {
  const c = new SecretsManagerClient({
    endpoint: fake.url,
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' },
    maxAttempts: options.maxAttempts ?? 1,
  });
  clients.push(c);
  return c;
}

/** Everything the process writes while a test runs (stdout, stderr, console). */
let written: string[] = [];
beforeEach(() => {
  written = [];
  const capture = (chunk: unknown) => {
    written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void written.push(inspect(args)));
});

afterEach(() => {
  vi.restoreAllMocks();
  // Nothing loadSecrets did wrote a secret anywhere.
  for (const line of written) {
    expect(line).not.toContain(SAGASYNC_SECRET);
    expect(line).not.toContain(NOTION_TOKEN);
  }
});

beforeAll(async () => {
  fake = await startFakeSecretsManager();
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await fake.close();
});

/** How an uncaught initialisation error reaches CloudWatch, or a logger: message, stack, causes, own fields. */
function asLogged(error: unknown): string {
  const lines: string[] = [];
  jsonLogger('debug', (line) => lines.push(line)).error('initialisation failed', {
    error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack, cause: inspect(error.cause, { depth: 8 }) } : String(error),
  });
  return `${lines.join('\n')}\n${inspect(error, { depth: 8, showHidden: true })}`;
}

describe('loadSecrets against the fake Secrets Manager', () => {
  it('reads both secrets, in parallel, once for many invocations', async () => {
    const id = names();
    fake.putSecret(id.sagasyncSecretId, SAGASYNC_SECRET);
    fake.putSecret(id.notionTokenId, NOTION_TOKEN);
    fake.resetRequests();
    const slow = await startFakeSecretsManager({ latencyMs: 150, secrets: { [id.sagasyncSecretId]: SAGASYNC_SECRET, [id.notionTokenId]: NOTION_TOKEN } });
    try {
      const c = new SecretsManagerClient({ endpoint: slow.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
      clients.push(c);
      // Cold start: several invocations' worth of callers at once, then more later.
      const first = await Promise.all([loadSecrets(id, c), loadSecrets(id, c), loadSecrets(id, c)]);
      for (let invocation = 0; invocation < 20; invocation += 1) expect(await loadSecrets(id, c)).toBe(first[0]);
      expect(first[0]).toEqual({ sagasyncSecret: SAGASYNC_SECRET, notionToken: NOTION_TOKEN });
      expect(first[1]).toBe(first[0]);
      expect(slow.readCount(id.sagasyncSecretId)).toBe(1);
      expect(slow.readCount(id.notionTokenId)).toBe(1);
      expect(slow.requestCount()).toBe(2);
      expect(slow.maxInFlight).toBe(2); // both reads were in flight together
    } finally {
      await slow.close();
    }
    expect(fake.requestCount()).toBe(0);
  });

  it('uses the SDK default client from the environment (AWS_ENDPOINT_URL_SECRETS_MANAGER), as a function does', async () => {
    const id = names();
    fake.putSecret(id.sagasyncSecretId, SAGASYNC_SECRET);
    fake.putSecret(id.notionTokenId, NOTION_TOKEN);
    const env = { AWS_ENDPOINT_URL_SECRETS_MANAGER: fake.url, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example', AWS_PROFILE: undefined };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    try {
      expect(await loadSecrets(id)).toEqual({ sagasyncSecret: SAGASYNC_SECRET, notionToken: NOTION_TOKEN });
      await loadSecrets(id);
      expect(fake.readCount(id.sagasyncSecretId)).toBe(1);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('takes a JSON secret {"SAGASYNC_SECRET": ...} or {"token": ...} as well as plain text (trimmed)', async () => {
    const a = names();
    fake.putSecret(a.sagasyncSecretId, JSON.stringify({ SAGASYNC_SECRET }));
    fake.putSecret(a.notionTokenId, JSON.stringify({ token: NOTION_TOKEN, workspace: 'mine' }));
    expect(await loadSecrets(a, client())).toEqual({ sagasyncSecret: SAGASYNC_SECRET, notionToken: NOTION_TOKEN });

    const b = names();
    fake.putSecret(b.sagasyncSecretId, ` ${JSON.stringify({ token: SAGASYNC_SECRET })}\n`);
    fake.putSecret(b.notionTokenId, `${NOTION_TOKEN}\n`);
    expect(await loadSecrets(b, client())).toEqual({ sagasyncSecret: SAGASYNC_SECRET, notionToken: NOTION_TOKEN });

    // Text that only looks like JSON is the value itself.
    const c = names();
    fake.putSecret(c.sagasyncSecretId, `{${SAGASYNC_SECRET}`);
    expect((await loadSecrets(c, client())).sagasyncSecret).toBe(`{${SAGASYNC_SECRET}`);
  });

  it('finds secrets by ARN too (what a stack may pass)', async () => {
    const id = names();
    const sagasync = fake.putSecret(id.sagasyncSecretId, SAGASYNC_SECRET);
    const notion = fake.putSecret(id.notionTokenId, NOTION_TOKEN);
    expect(await loadSecrets({ sagasyncSecretId: sagasync.arn, notionTokenId: notion.arn }, client())).toEqual({ sagasyncSecret: SAGASYNC_SECRET, notionToken: NOTION_TOKEN });
  });

  it('the Notion token is optional: no such secret (or an empty one) gives null', async () => {
    const id = names();
    fake.putSecret(id.sagasyncSecretId, SAGASYNC_SECRET);
    expect(await loadSecrets(id, client())).toEqual({ sagasyncSecret: SAGASYNC_SECRET, notionToken: null });
    expect(fake.requests.filter((r) => r.secretId === id.notionTokenId).map((r) => r.error)).toEqual(['ResourceNotFoundException']);

    const empty = names();
    fake.putSecret(empty.sagasyncSecretId, SAGASYNC_SECRET);
    fake.putSecret(empty.notionTokenId, '  ');
    expect((await loadSecrets(empty, client())).notionToken).toBeNull();
  });

  it('missing SagaSync secret: a clear error naming the secret id; the failure is not cached', async () => {
    const id = names();
    fake.putSecret(id.notionTokenId, NOTION_TOKEN);
    const error = await loadSecrets(id, client()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      `SagaSync configuration: the secret "${id.sagasyncSecretId}" (SAGASYNC_SECRET_ID) was not found in Secrets Manager; create it with SAGASYNC_SECRET (32 random bytes, e.g. \`openssl rand -base64 32\`)`,
    );
    expect(asLogged(error)).not.toContain(NOTION_TOKEN);

    // Created afterwards (a later invocation's init retry): read again, then cached.
    fake.putSecret(id.sagasyncSecretId, SAGASYNC_SECRET);
    expect(await loadSecrets(id, client())).toEqual({ sagasyncSecret: SAGASYNC_SECRET, notionToken: NOTION_TOKEN });
    await loadSecrets(id, client());
    expect(fake.readCount(id.sagasyncSecretId)).toBe(1);
    expect(fake.requests.filter((r) => r.secretId === id.sagasyncSecretId)).toHaveLength(2);
  });

  it('an empty SagaSync secret, a JSON one without the field, or a binary one: errors naming the id, never the value', async () => {
    const empty = names();
    fake.putSecret(empty.sagasyncSecretId, ' \n');
    await expect(loadSecrets(empty, client())).rejects.toThrow(`the secret "${empty.sagasyncSecretId}" (SAGASYNC_SECRET_ID) is empty`);

    const json = names();
    fake.putSecret(json.sagasyncSecretId, JSON.stringify({ secret: SAGASYNC_SECRET }));
    fake.putSecret(json.notionTokenId, NOTION_TOKEN);
    const error = await loadSecrets(json, client()).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `SagaSync configuration: the secret "${json.sagasyncSecretId}" (SAGASYNC_SECRET_ID) is a JSON object without a string "SAGASYNC_SECRET" or "token" field`,
    );
    expect(asLogged(error)).not.toContain(SAGASYNC_SECRET);
    expect(asLogged(error)).not.toContain(NOTION_TOKEN);

    const binary = names();
    fake.putSecret(binary.sagasyncSecretId, new TextEncoder().encode(SAGASYNC_SECRET));
    await expect(loadSecrets(binary, client())).rejects.toThrow(`the secret "${binary.sagasyncSecretId}" (SAGASYNC_SECRET_ID) is binary`);
  });

  it('any other failure (access denied, a secret marked for deletion) is an error naming the secret, for the Notion one too', async () => {
    const denied = names();
    fake.putSecret(denied.sagasyncSecretId, SAGASYNC_SECRET);
    fake.putSecret(denied.notionTokenId, NOTION_TOKEN);
    fake.failNext({ code: 'AccessDeniedException', message: 'User is not authorized to perform: secretsmanager:GetSecretValue', secretId: denied.notionTokenId });
    const error = await loadSecrets(denied, client()).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `SagaSync configuration: could not read the secret "${denied.notionTokenId}" (SAGASYNC_NOTION_SECRET_ID) from Secrets Manager: AccessDeniedException: User is not authorized to perform: secretsmanager:GetSecretValue`,
    );
    expect((error as Error).cause).toMatchObject({ name: 'AccessDeniedException' });
    expect(asLogged(error)).not.toContain(SAGASYNC_SECRET);
    expect(asLogged(error)).not.toContain(NOTION_TOKEN);

    const deleted = names();
    fake.putSecret(deleted.sagasyncSecretId, SAGASYNC_SECRET);
    fake.scheduleDeletion(deleted.sagasyncSecretId);
    await expect(loadSecrets(deleted, client())).rejects.toThrow(`could not read the secret "${deleted.sagasyncSecretId}" (SAGASYNC_SECRET_ID) from Secrets Manager: InvalidRequestException`);
  });

  it('a transient failure is retried on the next call, not cached', async () => {
    const id = names();
    fake.putSecret(id.sagasyncSecretId, SAGASYNC_SECRET);
    fake.putSecret(id.notionTokenId, NOTION_TOKEN);
    fake.failNext({ code: 'InternalServiceError', secretId: id.sagasyncSecretId });
    await expect(loadSecrets(id, client({ maxAttempts: 1 }))).rejects.toThrow('InternalServiceError');
    expect(await loadSecrets(id, client())).toEqual({ sagasyncSecret: SAGASYNC_SECRET, notionToken: NOTION_TOKEN });
  });

  it('nothing it does is logged with a value: a JSON logger in use around it sees only ids', async () => {
    const lines: string[] = [];
    const log = jsonLogger('debug', (line) => lines.push(line));
    const id = names();
    fake.putSecret(id.sagasyncSecretId, SAGASYNC_SECRET);
    fake.putSecret(id.notionTokenId, NOTION_TOKEN);
    log.info('loading secrets', { from: [id.sagasyncSecretId, id.notionTokenId] });
    const secrets = await loadSecrets(id, client());
    // A careless caller logging the whole object still leaks nothing: the field names are redacted.
    log.info('secrets loaded', { secrets, notionToken: secrets.notionToken });
    expect(lines.join('\n')).not.toContain(SAGASYNC_SECRET);
    expect(lines.join('\n')).not.toContain(NOTION_TOKEN);
    expect(lines.join('\n')).toContain(id.sagasyncSecretId);
  });
});
