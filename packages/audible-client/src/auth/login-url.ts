import { SagaSyncError } from '@sagasync/core';
import { marketplaceFor, resolveEndpoints, type AudibleEndpoints, type LocaleCode } from '../marketplaces.js';
import { buildClientId, codeChallengeFor, createCodeVerifier, createDeviceSerial, IOS_DEVICE_TYPE } from './pkce.js';

/**
 * A started external-browser sign-in. Keep it (in memory) until the user pastes the maplanding
 * URL back: registration needs the verifier and the serial the URL was built with.
 */
export interface LoginRequest {
  locale: LocaleCode;
  withUsername: boolean;
  /** Open this in a browser. */
  url: string;
  codeVerifier: string;
  deviceSerial: string;
  deviceType: string;
  clientId: string;
}

export interface LoginRequestOptions {
  locale: LocaleCode;
  /** Pre-Amazon Audible username account (audible.com, .co.uk, .de only). */
  withUsername?: boolean;
  endpoints?: Partial<AudibleEndpoints>;
  /** Fixed values for tests; random by default. */
  codeVerifier?: string;
  deviceSerial?: string;
}

/** Builds the Amazon sign-in URL (OpenID + OAuth2 PKCE) the user opens in their own browser. */
export function createLoginRequest(options: LoginRequestOptions): LoginRequest {
  const withUsername = options.withUsername ?? false;
  const { signInUrl } = resolveEndpoints(options.locale, options.endpoints, withUsername);
  const { countryCode, marketplaceId } = marketplaceFor(options.locale);
  const codeVerifier = options.codeVerifier ?? createCodeVerifier();
  const deviceSerial = options.deviceSerial ?? createDeviceSerial();
  const clientId = buildClientId(deviceSerial, IOS_DEVICE_TYPE);
  const handle = withUsername ? `amzn_audible_ios_lap_${countryCode}` : `amzn_audible_ios_${countryCode}`;
  const params = new URLSearchParams({
    'openid.oa2.response_type': 'code',
    'openid.oa2.code_challenge_method': 'S256',
    'openid.oa2.code_challenge': codeChallengeFor(codeVerifier),
    'openid.return_to': `${signInUrl}/ap/maplanding`,
    'openid.assoc_handle': handle,
    'openid.identity': 'http://specs.openid.net/auth/2.0/identifier_select',
    pageId: withUsername ? 'amzn_audible_ios_privatepool' : 'amzn_audible_ios',
    accountStatusPolicy: 'P1',
    'openid.claimed_id': 'http://specs.openid.net/auth/2.0/identifier_select',
    'openid.mode': 'checkid_setup',
    'openid.ns.oa2': 'http://www.amazon.com/ap/ext/oauth/2',
    'openid.oa2.client_id': `device:${clientId}`,
    'openid.ns.pape': 'http://specs.openid.net/extensions/pape/1.0',
    marketPlaceId: marketplaceId,
    'openid.oa2.scope': 'device_auth_access',
    forceMobileLayout: 'true',
    'openid.ns': 'http://specs.openid.net/auth/2.0',
    'openid.pape.max_auth_age': '0',
  });
  return {
    locale: options.locale,
    withUsername,
    url: `${signInUrl}/ap/signin?${params.toString()}`,
    codeVerifier,
    deviceSerial,
    deviceType: IOS_DEVICE_TYPE,
    clientId,
  };
}

/**
 * Reads the authorisation code from the `…/ap/maplanding?…` URL the browser ends on (a "page not
 * found" page), as the user pasted it: surrounding spaces, quotes and angle brackets are tolerated.
 */
export function parseMaplandingUrl(pasted: string): string {
  const text = pasted.trim().replace(/^[<"']+|[>"']+$/g, '');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SagaSyncError('invalid_input', 'That is not a URL. Paste the whole address of the page the browser ended on (it contains /ap/maplanding).', {
      details: { location: 'maplanding URL' },
    });
  }
  if (!url.pathname.endsWith('/ap/maplanding')) {
    throw new SagaSyncError('invalid_input', 'That URL is not the maplanding page. Finish signing in until the browser shows "page not found", then copy that address.', {
      details: { location: 'maplanding URL' },
    });
  }
  const code = url.searchParams.get('openid.oa2.authorization_code');
  if (!code) {
    throw new SagaSyncError('invalid_input', 'The maplanding URL has no openid.oa2.authorization_code: the sign-in did not complete. Start again.', {
      details: { location: 'maplanding URL' },
    });
  }
  return code;
}
