import { GetSecretValueCommand, InvalidRequestException, ResourceNotFoundException, SecretsManagerClient, SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSecretsManager, type FakeSecretsManager } from './server.js';

let fake: FakeSecretsManager | undefined;
const clients: SecretsManagerClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await fake?.close();
  fake = undefined;
});

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

function clientFor(f: FakeSecretsManager, extra: { region?: string; maxAttempts?: number } = {}): SecretsManagerClient {
  const client = new SecretsManagerClient({ endpoint: f.url, region: extra.region ?? 'us-east-1', credentials, maxAttempts: extra.maxAttempts ?? 1 });
  clients.push(client);
  return client;
}

/** What the SDK sends, by hand, for asserting the raw wire shapes. */
async function raw(f: FakeSecretsManager, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const response = await fetch(f.url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'secretsmanager.GetSecretValue',
      'X-Amz-Date': '20260101T000000Z',
      Authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/secretsmanager/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'a'.repeat(64)}`,
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> };
}

describe('fake Secrets Manager, through the real SDK client', () => {
  it('answers GetSecretValue by name, full ARN and partial ARN', async () => {
    const now = Date.parse('2026-03-01T12:00:00.250Z');
    fake = await startFakeSecretsManager({ now: () => now });
    const put = fake.putSecret('notion/internal-token', 'secret_abc');
    expect(put.arn).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:notion\/internal-token-[A-Za-z0-9]{6}$/);
    const client = clientFor(fake);

    const byName = await client.send(new GetSecretValueCommand({ SecretId: 'notion/internal-token' }));
    expect(byName).toMatchObject({ ARN: put.arn, Name: 'notion/internal-token', VersionId: put.versionId, SecretString: 'secret_abc', VersionStages: ['AWSCURRENT'] });
    expect(byName.CreatedDate).toEqual(new Date(now));
    expect(byName.SecretBinary).toBeUndefined();
    expect(byName.$metadata.httpStatusCode).toBe(200);
    expect(byName.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);

    expect((await client.send(new GetSecretValueCommand({ SecretId: put.arn }))).SecretString).toBe('secret_abc');
    const partial = put.arn.slice(0, -7);
    expect((await client.send(new GetSecretValueCommand({ SecretId: partial }))).SecretString).toBe('secret_abc');
    expect(fake.readCount('notion/internal-token')).toBe(3);
    expect(fake.requestCount()).toBe(3);
  });

  it('is reached through AWS_ENDPOINT_URL_SECRETS_MANAGER, as a Lambda function configures it', async () => {
    fake = await startFakeSecretsManager({ secrets: { 'sagasync/secret': 's3cr3t' } });
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ENDPOINT_URL_SECRETS_MANAGER: fake.url, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example' });
    try {
      const client = new SecretsManagerClient({});
      clients.push(client);
      const answer = await client.send(new GetSecretValueCommand({ SecretId: 'sagasync/secret' }));
      expect(answer.SecretString).toBe('s3cr3t');
      expect(fake.readCount('sagasync/secret')).toBe(1);
    } finally {
      for (const key of ['AWS_ENDPOINT_URL_SECRETS_MANAGER', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });

  it('throws the SDK ResourceNotFoundException for an unknown secret, another region or account', async () => {
    fake = await startFakeSecretsManager({ secrets: { known: 'x' } });
    const client = clientFor(fake);
    const error = await client.send(new GetSecretValueCommand({ SecretId: 'nope' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toMatchObject({ name: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret.", $fault: 'client' });
    expect((error as ResourceNotFoundException).$metadata.httpStatusCode).toBe(400);
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:known' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'arn:aws:secretsmanager:us-east-1:999999999999:secret:known' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(fake.requests.map((r) => r.error)).toEqual(['ResourceNotFoundException', 'ResourceNotFoundException', 'ResourceNotFoundException']);
    expect(fake.readCount('known')).toBe(0);
  });

  it('keeps versions: a new value is AWSCURRENT, the old one AWSPREVIOUS, both readable by stage or id', async () => {
    fake = await startFakeSecretsManager();
    const first = fake.putSecret('rotated', 'one');
    const second = fake.putSecret('rotated', 'two');
    expect(second.arn).toBe(first.arn);
    const client = clientFor(fake);
    expect(await client.send(new GetSecretValueCommand({ SecretId: 'rotated' }))).toMatchObject({ SecretString: 'two', VersionId: second.versionId, VersionStages: ['AWSCURRENT'] });
    expect(await client.send(new GetSecretValueCommand({ SecretId: 'rotated', VersionStage: 'AWSPREVIOUS' }))).toMatchObject({ SecretString: 'one', VersionStages: ['AWSPREVIOUS'] });
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'rotated', VersionId: first.versionId }))).SecretString).toBe('one');
    const missingStage = await client.send(new GetSecretValueCommand({ SecretId: 'rotated', VersionStage: 'AWSPENDING' })).catch((e: unknown) => e);
    expect(missingStage).toBeInstanceOf(ResourceNotFoundException);
    expect((missingStage as Error).message).toBe("Secrets Manager can't find the specified secret value for staging label: AWSPENDING");
  });

  it('serves bytes as SecretBinary', async () => {
    fake = await startFakeSecretsManager();
    fake.putSecret('binary', new Uint8Array([0, 1, 2, 250]));
    const answer = await clientFor(fake).send(new GetSecretValueCommand({ SecretId: 'binary' }));
    expect(answer.SecretString).toBeUndefined();
    expect(Array.from(answer.SecretBinary ?? [])).toEqual([0, 1, 2, 250]);
  });

  it('refuses a secret marked for deletion (InvalidRequestException) and forgets a removed one', async () => {
    fake = await startFakeSecretsManager({ secrets: { going: 'x', gone: 'y' } });
    fake.scheduleDeletion('going');
    fake.removeSecret('gone');
    const client = clientFor(fake);
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'going' }))).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'gone' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('injects faults the SDK classifies (AccessDenied; a 500 the SDK retries)', async () => {
    fake = await startFakeSecretsManager({ secrets: { s: 'v' } });
    fake.failNext({ code: 'AccessDeniedException', message: 'User is not authorized', secretId: 's' });
    const client = clientFor(fake);
    const denied = await client.send(new GetSecretValueCommand({ SecretId: 's' })).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(SecretsManagerServiceException);
    expect(denied).toMatchObject({ name: 'AccessDeniedException', message: 'User is not authorized' });

    fake.failNext({ code: 'InternalServiceError', times: 2 });
    const retrying = clientFor(fake, { maxAttempts: 3 });
    expect((await retrying.send(new GetSecretValueCommand({ SecretId: 's' }))).SecretString).toBe('v');
    expect(fake.requests.slice(-3).map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it('refuses requests signed for another region', async () => {
    fake = await startFakeSecretsManager({ secrets: { s: 'v' } });
    const error = await clientFor(fake, { region: 'eu-west-1' })
      .send(new GetSecretValueCommand({ SecretId: 's' }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'InvalidSignatureException' });
  });
});

describe('fake Secrets Manager, on the wire', () => {
  it('answers AWS JSON 1.1: content type, epoch-seconds CreatedDate, error __type and x-amzn-ErrorType', async () => {
    fake = await startFakeSecretsManager({ now: () => 1_767_225_600_500, secrets: { s: 'v' } });
    const ok = await raw(fake, { SecretId: 's' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(ok.json).toMatchObject({ Name: 's', SecretString: 'v', VersionStages: ['AWSCURRENT'], CreatedDate: 1_767_225_600.5 });
    expect(Object.keys(ok.json).sort()).toEqual(['ARN', 'CreatedDate', 'Name', 'SecretString', 'VersionId', 'VersionStages']);

    const missing = await raw(fake, { SecretId: 'nope' });
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({ __type: 'com.amazonaws.secretsmanager#ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
    expect(missing.headers.get('x-amzn-errortype')).toMatch(/^ResourceNotFoundException:/);
    expect(missing.headers.get('x-amzn-requestid')).toBeTruthy();
  });

  it('requires a SigV4 Authorization header (any signature), a known operation, a SecretId and a JSON body', async () => {
    fake = await startFakeSecretsManager({ secrets: { s: 'v' } });
    expect((await raw(fake, { SecretId: 's' }, { Authorization: '' })).json.__type).toBe('com.amazonaws.secretsmanager#MissingAuthenticationTokenException');
    expect((await raw(fake, { SecretId: 's' }, { Authorization: 'Bearer abc' })).json.__type).toBe('com.amazonaws.secretsmanager#IncompleteSignatureException');
    expect((await raw(fake, { SecretId: 's' }, { 'X-Amz-Target': 'secretsmanager.PutSecretValue' })).json.__type).toBe('com.amazonaws.secretsmanager#UnknownOperationException');
    expect((await raw(fake, { SecretId: 's' }, { 'X-Amz-Target': 'Other.GetSecretValue' })).json.__type).toBe('com.amazonaws.secretsmanager#UnknownOperationException');
    expect((await raw(fake, {})).json.__type).toBe('com.amazonaws.secretsmanager#ValidationException');
    expect((await raw(fake, '{not json')).json.__type).toBe('com.amazonaws.secretsmanager#SerializationException');
    expect(fake.readCount('s')).toBe(0);
    expect((await raw(fake, { SecretId: 's' })).status).toBe(200);
  });

  it('counts requests and how many overlapped', async () => {
    fake = await startFakeSecretsManager({ latencyMs: 100, secrets: { a: '1', b: '2' } });
    const client = clientFor(fake);
    await Promise.all([client.send(new GetSecretValueCommand({ SecretId: 'a' })), client.send(new GetSecretValueCommand({ SecretId: 'b' }))]);
    expect(fake.maxInFlight).toBe(2);
    expect([fake.readCount('a'), fake.readCount('b')]).toEqual([1, 1]);
    fake.resetRequests();
    expect(fake.requestCount()).toBe(0);
    expect(fake.maxInFlight).toBe(0);
  });
});
