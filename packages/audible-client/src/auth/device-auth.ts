import { SagaSyncError } from '@sagasync/core';
import * as z from 'zod';
import { marketplaceFor, resolveEndpoints, type AudibleEndpoints } from '../marketplaces.js';
import { readJson, resolveHttp, sendWithRetry, type HttpOptions, type ResolvedHttp } from '../http/transport.js';
import { parseResponse } from '../http/validate.js';
import { AudibleCredentialsSchema, type AudibleCredentials } from './credentials.js';
import type { LoginRequest } from './login-url.js';
import { ANDROID_DEVICE_TYPE } from './pkce.js';

const APP_NAME = 'Audible';
const APP_VERSION = '3.56.2';
const SOFTWARE_VERSION = '35602678';

/**
 * What a token refresh says about the app, per the app the device was registered as. The iOS
 * values are mkb79/Audible's (and this client's registration); a device Libation registered is
 * its Android app's, and Libation refreshes it with AudibleApi's `Resources.AppName` and
 * `Resources.AppVersion` plus an `x-amzn-identity-auth-domain` header naming the auth host
 * (`Authorize.RefreshAccessTokenAsync`).
 */
const REFRESH_APPS = {
  ios: { appName: APP_NAME, appVersion: APP_VERSION, authDomainHeader: false },
  android: { appName: 'com.audible.application', appVersion: '2090253826', authDomainHeader: true },
} as const;

/** The app a device was registered as: stored, else told by its device type. */
export function deviceAppOf(credentials: Pick<AudibleCredentials, 'deviceApp' | 'deviceType'>): 'ios' | 'android' {
  return credentials.deviceApp ?? (credentials.deviceType === ANDROID_DEVICE_TYPE ? 'android' : 'ios');
}

// expires_in arrives as "3600" from register and 3600 from refresh.
const ExpiresInSchema = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);

const RegisterResponseSchema = z.object({
  response: z.object({
    success: z.object({
      tokens: z.object({
        bearer: z.object({ access_token: z.string().min(1), refresh_token: z.string().min(1), expires_in: ExpiresInSchema }),
        mac_dms: z.object({ adp_token: z.string().min(1), device_private_key: z.string().includes('PRIVATE KEY') }),
        website_cookies: z.array(z.object({ Name: z.string(), Value: z.string() })).optional().default([]),
        store_authentication_cookie: z.object({ cookie: z.string() }).nullish(),
      }),
      extensions: z
        .object({
          device_info: z.object({ device_name: z.string().optional(), device_serial_number: z.string().optional(), device_type: z.string().optional() }).partial().optional(),
          customer_info: z.object({ user_id: z.string().optional(), name: z.string().optional() }).partial().optional(),
        })
        .optional(),
      customer_id: z.string().optional(),
    }),
  }),
});

const RefreshResponseSchema = z
  .object({
    access_token: z.string().min(1).optional(),
    actor_access_token: z.string().min(1).optional(),
    // Not sent by the classic flow; when a flow rotates the refresh token, the new one must be kept.
    refresh_token: z.string().min(1).optional(),
    actor_refresh_token: z.string().min(1).optional(),
    expires_in: ExpiresInSchema,
  })
  .refine((r) => r.access_token !== undefined || r.actor_access_token !== undefined, { message: 'neither access_token nor actor_access_token' });

export interface DeviceAuthOptions extends HttpOptions {
  endpoints?: Partial<AudibleEndpoints>;
}

/** An error body from Amazon's auth endpoints: `{error, error_description}` or `{response: {error: {code, message}}}`. */
async function authErrorCode(response: Response): Promise<string | null> {
  const body = (await response.json().catch(() => null)) as { error?: unknown; response?: { error?: { code?: unknown } } } | null;
  const code = body?.error ?? body?.response?.error?.code;
  return typeof code === 'string' ? code : null;
}

/**
 * Registers this installation as an Audible device with the code from the maplanding URL:
 * `POST {amazonUrl}/auth/register`. Returns signed-request credentials (adp token and device key).
 */
export async function registerDevice(login: LoginRequest, authorizationCode: string, options: DeviceAuthOptions = {}): Promise<AudibleCredentials> {
  const http = resolveHttp(options);
  const { amazonUrl } = resolveEndpoints(login.locale, options.endpoints, login.withUsername);
  const { domain } = marketplaceFor(login.locale);
  const body = JSON.stringify({
    requested_token_type: ['bearer', 'mac_dms', 'website_cookies', 'store_authentication_cookie'],
    // `.amazon.{domain}` for every account, pre-Amazon username accounts too (mkb79 register.py;
    // AudibleApi's `Resources.RegisterDomain` says the same): only the registration host differs.
    cookies: { website_cookies: [], domain: `.amazon.${domain}` },
    registration_data: {
      domain: 'Device',
      app_version: APP_VERSION,
      device_serial: login.deviceSerial,
      device_type: login.deviceType,
      device_name: '%FIRST_NAME%%FIRST_NAME_POSSESSIVE_STRING%%DUPE_STRATEGY_1ST%Audible for iPhone',
      os_version: '15.0.0',
      software_version: SOFTWARE_VERSION,
      device_model: 'iPhone',
      app_name: APP_NAME,
    },
    auth_data: {
      client_id: login.clientId,
      authorization_code: authorizationCode,
      code_verifier: login.codeVerifier,
      code_algorithm: 'SHA-256',
      client_domain: 'DeviceLegacy',
    },
    requested_extensions: ['device_info', 'customer_info'],
  });
  const what = 'device registration';
  // The code is single-use: a lost answer cannot be retried, so network errors are not retried.
  const response = await sendWithRetry(
    http,
    what,
    () => ({ url: `${amazonUrl}/auth/register`, init: { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body } }),
    { retryNetworkErrors: false },
  );
  if (!response.ok) {
    const code = await authErrorCode(response);
    throw new SagaSyncError('auth_failed', `Amazon refused the device registration (HTTP ${response.status}${code ? `, ${code}` : ''}). Sign in again: the pasted URL may be old or already used.`, {
      details: { status: response.status, reason: 'audible_login_expired' },
    });
  }
  const success = parseResponse(RegisterResponseSchema, await readJson(response, what), what).response.success;
  const cookies: Record<string, string> = {};
  for (const cookie of success.tokens.website_cookies) cookies[cookie.Name] = cookie.Value;
  return AudibleCredentialsSchema.parse({
    locale: login.locale,
    withUsername: login.withUsername,
    accessToken: success.tokens.bearer.access_token,
    refreshToken: success.tokens.bearer.refresh_token,
    expiresAt: http.now() + success.tokens.bearer.expires_in * 1000,
    adpToken: success.tokens.mac_dms.adp_token,
    devicePrivateKey: success.tokens.mac_dms.device_private_key,
    deviceSerial: success.extensions?.device_info?.device_serial_number ?? login.deviceSerial,
    deviceType: success.extensions?.device_info?.device_type ?? login.deviceType,
    deviceName: success.extensions?.device_info?.device_name ?? null,
    customerId: success.extensions?.customer_info?.user_id ?? success.customer_id ?? null,
    customerName: success.extensions?.customer_info?.name ?? null,
    websiteCookies: cookies,
    storeAuthenticationCookie: success.tokens.store_authentication_cookie?.cookie ?? null,
  });
}

/** The message for a device Amazon no longer accepts. */
export function revokedDeviceError(status: number | null): SagaSyncError {
  return new SagaSyncError(
    'auth_failed',
    'Audible no longer accepts this device: it was removed from the Amazon account or the password was changed. Sign in again with `sagasync audible login`.',
    { details: { status, reason: 'device_revoked' } },
  );
}

/**
 * Exchanges the refresh token for a new access token: `POST {amazonUrl}/auth/token`
 * (form-encoded), with the values of the app the device was registered as (a device imported
 * from Libation refreshes as Libation's Android app does). Accepts `actor_access_token` (the
 * current app flow) as well as `access_token`.
 */
export async function refreshAccessToken(credentials: AudibleCredentials, options: DeviceAuthOptions = {}): Promise<AudibleCredentials> {
  return refreshWith(credentials, resolveHttp(options), options.endpoints);
}

export async function refreshWith(credentials: AudibleCredentials, http: ResolvedHttp, endpoints?: Partial<AudibleEndpoints>): Promise<AudibleCredentials> {
  const { amazonUrl } = resolveEndpoints(credentials.locale, endpoints, credentials.withUsername);
  const app = REFRESH_APPS[deviceAppOf(credentials)];
  const body = new URLSearchParams({
    app_name: app.appName,
    app_version: app.appVersion,
    source_token: credentials.refreshToken,
    requested_token_type: 'access_token',
    source_token_type: 'refresh_token',
  }).toString();
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  // The real auth host's name (AudibleApi `RegistrationUri().Host`), also when a proxy or a test serves it.
  if (app.authDomainHeader) headers['x-amzn-identity-auth-domain'] = new URL(resolveEndpoints(credentials.locale, {}, credentials.withUsername).amazonUrl).host;
  const what = 'token refresh';
  const response = await sendWithRetry(http, what, () => ({
    url: `${amazonUrl}/auth/token`,
    init: { method: 'POST', headers, body },
  }));
  if (!response.ok) {
    const code = await authErrorCode(response);
    if (response.status === 400 || response.status === 401 || response.status === 403 || code === 'invalid_grant') throw revokedDeviceError(response.status);
    throw new SagaSyncError('remote_failure', `Amazon's token refresh failed (HTTP ${response.status})`, { details: { status: response.status } });
  }
  const parsed = parseResponse(RefreshResponseSchema, await readJson(response, what), what);
  return {
    ...credentials,
    accessToken: (parsed.actor_access_token ?? parsed.access_token)!,
    refreshToken: parsed.actor_refresh_token ?? parsed.refresh_token ?? credentials.refreshToken,
    expiresAt: http.now() + parsed.expires_in * 1000,
  };
}

/**
 * Removes the device from the account (`POST {amazonUrl}/auth/deregister`), as logout does.
 * Refreshes an expired access token first, since the call is made with it.
 */
export async function deregisterDevice(credentials: AudibleCredentials, options: DeviceAuthOptions = {}): Promise<void> {
  const http = resolveHttp(options);
  const { amazonUrl } = resolveEndpoints(credentials.locale, options.endpoints, credentials.withUsername);
  let current = credentials;
  if (current.expiresAt - http.now() < 60_000) current = await refreshWith(current, http, options.endpoints);
  const what = 'device deregistration';
  const body = JSON.stringify({ deregister_all_existing_accounts: false });
  const response = await sendWithRetry(http, what, () => ({
    url: `${amazonUrl}/auth/deregister`,
    init: { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', 'x-amz-access-token': current.accessToken }, body },
  }));
  if (response.status === 401 || response.status === 403) throw revokedDeviceError(response.status);
  if (!response.ok) throw new SagaSyncError('remote_failure', `Amazon's device deregistration failed (HTTP ${response.status})`, { details: { status: response.status } });
  await response.body?.cancel().catch(() => undefined);
}
