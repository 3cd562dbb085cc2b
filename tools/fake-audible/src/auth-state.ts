import { createHash, createVerify, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';

export interface FakeDevice {
  serial: string;
  deviceType: string;
  customerId: string;
  adpToken: string;
  refreshToken: string;
  privateKeyPem: string;
  publicKey: KeyObject;
  /** False once deregistered, or removed by the user at Amazon ("revoked"). */
  active: boolean;
}

interface AccessToken {
  serial: string;
  expiresAt: number;
}

export type AuthCheck =
  | { ok: true; device: FakeDevice; mode: 'signed' | 'token' }
  | { ok: false; status: 401 | 403; message: string; reason: 'missing' | 'bad_signature' | 'stale_signature' | 'unknown_token' | 'expired' | 'revoked' };

/** How far a signature's timestamp may be from the fake's clock, as a real server would bound it. */
const SIGNATURE_SKEW_MS = 15 * 60_000;

const b64url = (buf: Buffer): string => buf.toString('base64url');

/**
 * Devices, PKCE authorisation codes and tokens, held the way Amazon holds them: a device gets an
 * RSA key pair at registration (Amazon keeps the public half and hands out the private one), and
 * every signed request is checked against that public key.
 */
export class FakeAuthState {
  readonly devices = new Map<string, FakeDevice>();
  private readonly byAdp = new Map<string, FakeDevice>();
  private readonly byRefresh = new Map<string, FakeDevice>();
  private readonly tokens = new Map<string, AccessToken>();
  private readonly codes = new Map<string, { challenge: string; clientId: string }>();
  tokenLifetimeSeconds = 3600;

  constructor(private readonly now: () => number) {}

  /** What the sign-in page does once the user has signed in: mint a code bound to the challenge. */
  issueCode(challenge: string, clientId: string): string {
    const code = `ANCode${b64url(randomBytes(18))}`;
    this.codes.set(code, { challenge, clientId });
    return code;
  }

  /** Consumes a code; null when unknown, reused, or the verifier does not match its challenge. */
  redeemCode(code: string, verifier: string, clientId: string): boolean {
    const entry = this.codes.get(code);
    if (!entry) return false;
    this.codes.delete(code);
    const challenge = b64url(createHash('sha256').update(verifier, 'ascii').digest());
    return challenge === entry.challenge && clientId === entry.clientId;
  }

  register(serial: string, deviceType: string): { device: FakeDevice; accessToken: string } {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const privateKeyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const adpToken = `{enc:${randomBytes(48).toString('base64')}}{key:${randomBytes(24).toString('base64')}}{iv:${randomBytes(12).toString('base64')}}{name:${Buffer.from('ADPToken').toString('base64')}}{serial:Mg==}`;
    const device: FakeDevice = {
      serial,
      deviceType,
      customerId: 'amzn1.account.FAKE0CUSTOMER0ID',
      adpToken,
      refreshToken: `Atnr|${b64url(randomBytes(48))}`,
      privateKeyPem,
      publicKey,
      active: true,
    };
    this.devices.set(serial, device);
    this.byAdp.set(adpToken, device);
    this.byRefresh.set(device.refreshToken, device);
    return { device, accessToken: this.mintAccessToken(device) };
  }

  mintAccessToken(device: FakeDevice): string {
    const token = `Atna|${b64url(randomBytes(48))}`;
    this.tokens.set(token, { serial: device.serial, expiresAt: this.now() + this.tokenLifetimeSeconds * 1000 });
    return token;
  }

  deviceForRefreshToken(refreshToken: string): FakeDevice | null {
    const device = this.byRefresh.get(refreshToken);
    return device?.active ? device : null;
  }

  deactivate(device: FakeDevice): void {
    device.active = false;
    for (const [token, entry] of this.tokens) if (entry.serial === device.serial) this.tokens.delete(token);
  }

  /** Every access token issued so far stops working, as an hour passing would do. */
  expireAccessTokens(): void {
    for (const entry of this.tokens.values()) entry.expiresAt = this.now() - 1;
  }

  /**
   * Checks a request the way the API does: a signature (`x-adp-*`) over
   * `METHOD\nPATH?QUERY\nTIMESTAMP\nBODY\nADP_TOKEN`, else an access token header.
   */
  check(method: string, rawPath: string, body: string, headers: Record<string, string | string[] | undefined>): AuthCheck {
    const adp = header(headers, 'x-adp-token');
    const signatureHeader = header(headers, 'x-adp-signature');
    if (adp && signatureHeader) {
      const device = this.byAdp.get(adp);
      if (!device) return fail(403, 'unknown_token');
      if (header(headers, 'x-adp-alg') !== 'SHA256withRSA:1.0') return fail(403, 'bad_signature');
      const sep = signatureHeader.indexOf(':');
      if (sep < 0) return fail(403, 'bad_signature');
      const signature = signatureHeader.slice(0, sep);
      const timestamp = signatureHeader.slice(sep + 1);
      const at = Date.parse(timestamp);
      if (!Number.isFinite(at) || Math.abs(at - this.now()) > SIGNATURE_SKEW_MS) return fail(403, 'stale_signature');
      const data = `${method}\n${rawPath}\n${timestamp}\n${body}\n${adp}`;
      let valid = false;
      try {
        valid = createVerify('RSA-SHA256').update(data, 'utf8').verify(device.publicKey, signature, 'base64');
      } catch {
        valid = false;
      }
      if (!valid) return fail(403, 'bad_signature');
      if (!device.active) return fail(403, 'revoked');
      return { ok: true, device, mode: 'signed' };
    }
    const bearer = header(headers, 'authorization')?.replace(/^Bearer\s+/i, '');
    const token = header(headers, 'x-amz-access-token') ?? bearer;
    if (!token) return fail(403, 'missing');
    const entry = this.tokens.get(token);
    if (!entry) {
      return fail(403, 'unknown_token');
    }
    const device = this.devices.get(entry.serial);
    if (!device || !device.active) return fail(403, 'revoked');
    if (entry.expiresAt <= this.now()) return { ok: false, status: 401, message: 'Access token has expired', reason: 'expired' };
    return { ok: true, device, mode: 'token' };
  }
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function fail(status: 401 | 403, reason: Exclude<AuthCheck, { ok: true }>['reason']): AuthCheck {
  return { ok: false, status, message: 'Request could not be authenticated', reason };
}
