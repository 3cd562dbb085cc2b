import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP fake of AWS Secrets Manager's `GetSecretValue`, speaking the service's real wire
 * protocol (AWS JSON 1.1), so the real `@aws-sdk/client-secrets-manager` talks to it through its
 * endpoint setting (`endpoint`, or `AWS_ENDPOINT_URL_SECRETS_MANAGER`):
 *
 * - `POST /` with `X-Amz-Target: secretsmanager.GetSecretValue` and
 *   `Content-Type: application/x-amz-json-1.1`; body `{"SecretId", "VersionId"?, "VersionStage"?}`.
 * - Answers `{ARN, Name, VersionId, SecretString | SecretBinary, VersionStages, CreatedDate}`
 *   (`CreatedDate` in epoch seconds, `SecretBinary` base64).
 * - Errors are HTTP 400 (500 for `InternalServiceError`) with
 *   `{"__type": "com.amazonaws.secretsmanager#<Code>", "message": ...}` and an `x-amzn-ErrorType`
 *   header, which is how the SDK picks the exception class (`ResourceNotFoundException`, ...).
 * - A SigV4 `Authorization` header is required (any key and signature are accepted): none is
 *   `MissingAuthenticationTokenException`, a malformed one `IncompleteSignatureException`, one
 *   scoped to another service or region `InvalidSignatureException`.
 * - Secrets are found by name, by full ARN or by partial ARN (the ARN without its 6-character
 *   suffix), as AWS does.
 */
export interface FakeSecretsManagerOptions {
  /** Default: any free port. */
  port?: number;
  /** The region the fake is; requests signed for another region are refused. Default `us-east-1`. */
  region?: string;
  /** The account in ARNs. Default `123456789012`. */
  accountId?: string;
  /** Secrets to start with, name -> value. */
  secrets?: Record<string, string>;
  /** Delay before every answer, in milliseconds (to show that reads overlap). */
  latencyMs?: number;
  /** The fake's clock, for `CreatedDate`. Default `Date.now`. */
  now?: () => number;
}

/** A version of a secret as `putSecret` made it. */
export interface FakeSecretVersion {
  arn: string;
  name: string;
  versionId: string;
}

/** One request as the fake saw it (never the value it answered). */
export interface FakeSecretsManagerRequest {
  /** The operation from `X-Amz-Target`, e.g. `GetSecretValue` (`?` if none). */
  operation: string;
  /** The `SecretId` asked for, as sent, or null. */
  secretId: string | null;
  /** The secret's name if it resolved to one. */
  name: string | null;
  status: number;
  /** The error code answered, or null for a success. */
  error: string | null;
}

/** An error answered to the next matching request(s), e.g. `AccessDeniedException` or `InternalServiceError`. */
export interface FakeSecretsManagerFault {
  code: string;
  /** Default 400 (500 for `InternalServiceError`). */
  status?: number;
  message?: string;
  /** Only requests for this secret (name or id as sent). Default: any. */
  secretId?: string;
  /** How many requests it answers. Default 1. */
  times?: number;
}

export interface FakeSecretsManager {
  /** `http://127.0.0.1:<port>`: the SDK's `endpoint` or `AWS_ENDPOINT_URL_SECRETS_MANAGER`. */
  url: string;
  region: string;
  /**
   * Creates the secret, or puts a new current version of it (the old current one becomes
   * `AWSPREVIOUS`, as `PutSecretValue` does). A string is served as `SecretString`, bytes as
   * `SecretBinary`.
   */
  putSecret(name: string, value: string | Uint8Array): FakeSecretVersion;
  /** Marks the secret for deletion: reads then answer `InvalidRequestException`, as AWS does. */
  scheduleDeletion(name: string): void;
  /** Removes the secret at once (`ForceDeleteWithoutRecovery`): reads answer `ResourceNotFoundException`. */
  removeSecret(name: string): void;
  /** Answers the next matching request(s) with an error instead. */
  failNext(fault: FakeSecretsManagerFault): void;
  /** Every request received, oldest first. */
  readonly requests: readonly FakeSecretsManagerRequest[];
  /** Requests received for an operation (default `GetSecretValue`), answered or not. */
  requestCount(operation?: string): number;
  /** Successful `GetSecretValue` answers for a secret, whichever id (name or ARN) it was asked by. */
  readCount(name: string): number;
  /** The most requests that were being answered at the same time. */
  readonly maxInFlight: number;
  /** Forgets the recorded requests (the secrets stay). */
  resetRequests(): void;
  close(): Promise<void>;
}

interface Version {
  id: string;
  value: string | Uint8Array;
  stages: string[];
  createdMs: number;
}

interface Secret {
  name: string;
  arn: string;
  versions: Version[];
  deletedMs: number | null;
}

class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const NAMESPACE = 'com.amazonaws.secretsmanager';
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The 6 characters AWS appends to a secret's name in its ARN (random there, derived from the name here). */
function arnSuffix(name: string): string {
  const digest = createHash('sha256').update(name).digest();
  return Array.from(digest.subarray(0, 6), (byte) => ALPHABET[byte % ALPHABET.length]).join('');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/secretsmanager/aws4_request, SignedHeaders=..., Signature=...` */
function checkAuthorization(header: string | undefined, region: string): void {
  if (!header) throw new ServiceError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const match = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(header.trim());
  if (!match) {
    throw new ServiceError(
      'IncompleteSignatureException',
      `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization=${header.split(' ')[0] ?? ''}`,
    );
  }
  const scope = match[1]!.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request') throw new ServiceError('IncompleteSignatureException', 'Credential should be scoped to a valid date, region, service and aws4_request.');
  if (scope[3] !== 'secretsmanager') throw new ServiceError('InvalidSignatureException', `Credential should be scoped to correct service: 'secretsmanager'.`);
  if (scope[2] !== region) throw new ServiceError('InvalidSignatureException', `Credential should be scoped to a valid region, not '${scope[2]}'.`);
}

export async function startFakeSecretsManager(options: FakeSecretsManagerOptions = {}): Promise<FakeSecretsManager> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const now = options.now ?? Date.now;
  const secrets = new Map<string, Secret>();
  const requests: FakeSecretsManagerRequest[] = [];
  const faults: (FakeSecretsManagerFault & { left: number })[] = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const arnPrefix = `arn:aws:secretsmanager:${region}:${accountId}:secret:`;

  function putSecret(name: string, value: string | Uint8Array): FakeSecretVersion {
    if (!SECRET_NAME.test(name)) throw new Error(`fake-secrets-manager: invalid secret name ${JSON.stringify(name)}`);
    let secret = secrets.get(name);
    if (!secret || secret.deletedMs !== null) {
      secret = { name, arn: `${arnPrefix}${name}-${arnSuffix(name)}`, versions: [], deletedMs: null };
      secrets.set(name, secret);
    }
    for (const version of secret.versions) version.stages = version.stages.filter((stage) => stage !== 'AWSPREVIOUS');
    for (const version of secret.versions) {
      if (version.stages.includes('AWSCURRENT')) version.stages = [...version.stages.filter((stage) => stage !== 'AWSCURRENT'), 'AWSPREVIOUS'];
    }
    const version: Version = { id: randomUUID(), value: typeof value === 'string' ? value : Uint8Array.from(value), stages: ['AWSCURRENT'], createdMs: now() };
    secret.versions.push(version);
    return { arn: secret.arn, name, versionId: version.id };
  }

  for (const [name, value] of Object.entries(options.secrets ?? {})) putSecret(name, value);

  /** By name, full ARN, or partial ARN (no suffix), in this region and account. */
  function findSecret(secretId: string): Secret | undefined {
    if (!secretId.startsWith('arn:')) return secrets.get(secretId);
    if (!secretId.startsWith(arnPrefix)) return undefined;
    const rest = secretId.slice(arnPrefix.length);
    for (const secret of secrets.values()) {
      if (secret.arn === secretId || secret.name === rest) return secret;
    }
    return undefined;
  }

  function getSecretValue(input: Record<string, unknown>, record: FakeSecretsManagerRequest): Record<string, unknown> {
    const { SecretId, VersionId, VersionStage } = input;
    if (typeof SecretId !== 'string') {
      throw new ServiceError('ValidationException', "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null");
    }
    record.secretId = SecretId;
    if (SecretId.length < 1 || SecretId.length > 2048) {
      throw new ServiceError('ValidationException', "1 validation error detected: Value at 'secretId' failed to satisfy constraint: Member must have length between 1 and 2048");
    }
    if (VersionId !== undefined && (typeof VersionId !== 'string' || VersionId.length < 32 || VersionId.length > 64)) {
      throw new ServiceError('ValidationException', "1 validation error detected: Value at 'versionId' failed to satisfy constraint: Member must have length between 32 and 64");
    }
    if (VersionStage !== undefined && (typeof VersionStage !== 'string' || VersionStage.length < 1 || VersionStage.length > 256)) {
      throw new ServiceError('ValidationException', "1 validation error detected: Value at 'versionStage' failed to satisfy constraint: Member must have length between 1 and 256");
    }
    const secret = findSecret(SecretId);
    if (!secret) throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    record.name = secret.name;
    if (secret.deletedMs !== null) {
      throw new ServiceError('InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion.");
    }
    let version: Version | undefined;
    if (typeof VersionId === 'string') {
      version = secret.versions.find((v) => v.id === VersionId);
      if (!version || (typeof VersionStage === 'string' && !version.stages.includes(VersionStage))) {
        throw new ServiceError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for VersionId: ${VersionId}`);
      }
    } else {
      const stage = typeof VersionStage === 'string' ? VersionStage : 'AWSCURRENT';
      version = secret.versions.find((v) => v.stages.includes(stage));
      if (!version) throw new ServiceError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for staging label: ${stage}`);
    }
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.id,
      ...(typeof version.value === 'string' ? { SecretString: version.value } : { SecretBinary: Buffer.from(version.value).toString('base64') }),
      VersionStages: [...version.stages],
      CreatedDate: version.createdMs / 1000,
    };
  }

  function takeFault(secretId: string | null): FakeSecretsManagerFault | undefined {
    const at = faults.findIndex((fault) => fault.secretId === undefined || fault.secretId === secretId);
    if (at < 0) return undefined;
    const fault = faults[at]!;
    fault.left -= 1;
    if (fault.left <= 0) faults.splice(at, 1);
    return fault;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const target = req.headers['x-amz-target'];
    const record: FakeSecretsManagerRequest = {
      operation: typeof target === 'string' && target.startsWith('secretsmanager.') ? target.slice('secretsmanager.'.length) : '?',
      secretId: null,
      name: null,
      status: 200,
      error: null,
    };
    requests.push(record);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let status = 200;
    let payload: Record<string, unknown>;
    try {
      if (req.method !== 'POST' || (req.url ?? '/').split('?')[0] !== '/') throw new ServiceError('UnknownOperationException', 'Unknown operation', 404);
      checkAuthorization(req.headers.authorization, region);
      if (typeof target !== 'string' || !target.startsWith('secretsmanager.')) throw new ServiceError('UnknownOperationException', 'Unknown operation');
      let input: unknown;
      try {
        input = body.trim() === '' ? {} : JSON.parse(body);
      } catch {
        throw new ServiceError('SerializationException', 'Start of structure or map found where not expected.');
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ServiceError('SerializationException', 'Start of structure or map found where not expected.');
      const secretId = (input as { SecretId?: unknown }).SecretId;
      const fault = takeFault(typeof secretId === 'string' ? secretId : null);
      if (fault) {
        record.secretId = typeof secretId === 'string' ? secretId : null;
        throw new ServiceError(fault.code, fault.message ?? fault.code, fault.status ?? (fault.code === 'InternalServiceError' ? 500 : 400));
      }
      if (record.operation !== 'GetSecretValue') throw new ServiceError('UnknownOperationException', `The fake only answers GetSecretValue, not ${record.operation}.`);
      payload = getSecretValue(input as Record<string, unknown>, record);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      status = error.status;
      record.error = error.code;
      payload = { __type: `${NAMESPACE}#${error.code}`, message: error.message };
    }
    record.status = status;
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    inFlight -= 1;
    const text = JSON.stringify(payload);
    res.writeHead(status, {
      'Content-Type': 'application/x-amz-json-1.1',
      'Content-Length': Buffer.byteLength(text),
      'x-amzn-RequestId': randomUUID(),
      ...(record.error ? { 'x-amzn-ErrorType': `${record.error}:http://internal.amazon.com/coral/${NAMESPACE}/` } : {}),
    });
    res.end(text);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      inFlight = Math.max(0, inFlight - 1);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: `${NAMESPACE}#InternalServiceError`, message: error instanceof Error ? error.message : String(error) }));
    });
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

  return {
    url: `http://127.0.0.1:${port}`,
    region,
    putSecret,
    scheduleDeletion(name) {
      const secret = secrets.get(name);
      if (!secret) throw new Error(`fake-secrets-manager: no secret ${name}`);
      secret.deletedMs = now();
    },
    removeSecret(name) {
      secrets.delete(name);
    },
    failNext(fault) {
      faults.push({ ...fault, left: fault.times ?? 1 });
    },
    requests,
    requestCount: (operation = 'GetSecretValue') => requests.filter((r) => r.operation === operation).length,
    readCount: (name) => requests.filter((r) => r.operation === 'GetSecretValue' && r.status === 200 && r.name === name).length,
    get maxInFlight() {
      return maxInFlight;
    },
    resetRequests() {
      requests.length = 0;
      maxInFlight = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
