import { SagaSyncError } from '@sagasync/core';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type * as z from 'zod';
import { AudibleCredentialsSchema, type AudibleCredentials } from './auth/credentials.js';
import { deregisterDevice, refreshWith, revokedDeviceError } from './auth/device-auth.js';
import { signRequest } from './auth/sign-request.js';
import { marketplaceFor, resolveEndpoints, type AudibleEndpoints, type Marketplace } from './marketplaces.js';
import { readJson, resolveHttp, sendWithRetry, type HttpOptions, type ResolvedHttp } from './http/transport.js';
import { parseResponse } from './http/validate.js';

export interface AudibleClientOptions extends HttpOptions {
  credentials: AudibleCredentials;
  /** Base URL overrides (tests, proxies); the marketplace's real hosts by default. */
  endpoints?: Partial<AudibleEndpoints>;
  /**
   * `auto` (default) signs requests when the credentials hold a registered device's adp token and
   * key, else sends the access token. `token` always sends the access token.
   */
  authMode?: 'auto' | 'token';
  /** Called with new credentials after a token refresh, to store them (encrypted). */
  onCredentialsChanged?: (credentials: AudibleCredentials) => void | Promise<void>;
}

export type QueryValue = string | number | boolean | undefined | null;

export interface ApiResponse<T> {
  data: T;
  headers: Headers;
  status: number;
}

/** Refresh this long before expiry, so a token does not lapse in flight. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * One account's connection to the Audible API: builds the exact URL, authenticates (signature or
 * access token), retries transient failures, refreshes an expired token and retries once, and
 * validates every answer against the shape the caller relies on.
 */
export class AudibleClient {
  readonly endpoints: AudibleEndpoints;
  readonly marketplace: Marketplace;
  private current: AudibleCredentials;
  private readonly http: ResolvedHttp;
  private readonly authMode: 'auto' | 'token';
  private readonly onCredentialsChanged?: AudibleClientOptions['onCredentialsChanged'];
  private refreshing: Promise<void> | null = null;
  private signingKey: { pem: string; key: KeyObject } | null = null;

  constructor(options: AudibleClientOptions) {
    const parsed = AudibleCredentialsSchema.safeParse(options.credentials);
    if (!parsed.success) {
      throw new SagaSyncError('invalid_input', 'The Audible credentials are incomplete or malformed; sign in again with `sagasync audible login`', {
        details: { location: 'credentials', reason: 'audible_signed_out' },
      });
    }
    this.current = parsed.data;
    this.endpoints = resolveEndpoints(this.current.locale, options.endpoints, this.current.withUsername);
    this.marketplace = marketplaceFor(this.current.locale);
    this.http = resolveHttp(options);
    this.authMode = options.authMode ?? 'auto';
    this.onCredentialsChanged = options.onCredentialsChanged;
  }

  /** The current credentials (changed by refreshes). Secret: do not log. */
  get credentials(): AudibleCredentials {
    return this.current;
  }

  get signsRequests(): boolean {
    return this.authMode === 'auto' && this.current.adpToken !== null && this.current.devicePrivateKey !== null;
  }

  /** The clock the client runs on (epoch ms). */
  now(): number {
    return this.http.now();
  }

  /** GET `path` on the API host and validate the JSON answer with `schema`. */
  async get<S extends z.ZodType>(path: string, query: Record<string, QueryValue>, schema: S): Promise<ApiResponse<z.infer<S>>> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null) params.set(key, String(value));
    const search = params.toString();
    const url = `${this.endpoints.apiUrl}${path}${search ? `?${search}` : ''}`;
    const what = `GET ${path}`;
    const response = await this.authenticated('GET', url, '', what);
    if (!response.ok) {
      // Audible's own error message (`{"message": "Invalid response group"}`) names the problem.
      const body = (await response.json().catch(() => null)) as { message?: unknown } | null;
      const reason = typeof body?.message === 'string' ? `: ${body.message.slice(0, 200)}` : '';
      throw new SagaSyncError(response.status === 404 ? 'not_found' : 'remote_failure', `${what} failed with HTTP ${response.status}${reason}`, {
        details: { status: response.status, location: path },
      });
    }
    const data = parseResponse(schema, await readJson(response, what), what);
    return { data, headers: response.headers, status: response.status };
  }

  /** Refreshes the access token now (concurrent callers share one refresh). */
  async refresh(): Promise<void> {
    if (!this.refreshing) {
      this.refreshing = (async () => {
        try {
          this.current = await refreshWith(this.current, this.http, this.endpoints);
          await this.onCredentialsChanged?.(this.current);
        } finally {
          this.refreshing = null;
        }
      })();
    }
    await this.refreshing;
  }

  /** Removes this device from the Amazon account. The credentials are useless afterwards. */
  async deregister(): Promise<void> {
    await deregisterDevice(this.current, { ...this.http, endpoints: this.endpoints });
  }

  private async authenticated(method: string, url: string, body: string, what: string): Promise<Response> {
    if (!this.signsRequests && this.current.expiresAt - this.http.now() < EXPIRY_MARGIN_MS) await this.refresh();
    const tokenUsed = this.current.accessToken;
    let response = await sendWithRetry(this.http, what, () => this.attempt(method, url, body));
    if (response.status !== 401 && response.status !== 403) return response;
    await response.body?.cancel().catch(() => undefined);
    // Expired or rejected: refresh once (a revoked device fails here with a clear error), retry once.
    if (this.current.accessToken === tokenUsed) await this.refresh();
    response = await sendWithRetry(this.http, what, () => this.attempt(method, url, body));
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel().catch(() => undefined);
      throw revokedDeviceError(response.status);
    }
    return response;
  }

  private deviceKey(pem: string): KeyObject {
    if (this.signingKey?.pem !== pem) {
      try {
        this.signingKey = { pem, key: createPrivateKey(pem) };
      } catch (error) {
        throw new SagaSyncError('auth_failed', 'The stored device key is unreadable; sign in again', { cause: error, details: { reason: 'audible_signed_out' } });
      }
    }
    return this.signingKey.key;
  }

  private attempt(method: string, url: string, body: string): { url: string; init: RequestInit } {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body) headers['content-type'] = 'application/json';
    if (this.signsRequests) {
      const parsed = new URL(url);
      Object.assign(
        headers,
        signRequest({
          method,
          pathWithQuery: parsed.pathname + parsed.search,
          body,
          adpToken: this.current.adpToken!,
          privateKey: this.deviceKey(this.current.devicePrivateKey!),
          now: new Date(this.http.now()),
        }),
      );
    } else {
      headers['x-amz-access-token'] = this.current.accessToken;
    }
    return { url, init: { method, headers, ...(body ? { body } : {}) } };
  }
}
