import * as z from 'zod';

/**
 * The eleven Audible marketplaces (mkb79/Audible `localization.py`; the same ids in Libation's
 * `Localization.cs`). Note `uk`, not `gb`.
 */
export const LOCALE_CODES = ['us', 'uk', 'de', 'fr', 'ca', 'it', 'au', 'in', 'jp', 'es', 'br'] as const;
export const LocaleCodeSchema = z.enum(LOCALE_CODES);
export type LocaleCode = z.infer<typeof LocaleCodeSchema>;

export interface Marketplace {
  countryCode: LocaleCode;
  /** Second-level domain shared by audible.* and amazon.*: `com`, `co.uk`, `com.au`. */
  domain: string;
  marketplaceId: string;
}

export const MARKETPLACES: Readonly<Record<LocaleCode, Marketplace>> = {
  us: { countryCode: 'us', domain: 'com', marketplaceId: 'AF2M0KC94RCEA' },
  uk: { countryCode: 'uk', domain: 'co.uk', marketplaceId: 'A2I9A3Q2GNFNGQ' },
  de: { countryCode: 'de', domain: 'de', marketplaceId: 'AN7V1F1VY261K' },
  fr: { countryCode: 'fr', domain: 'fr', marketplaceId: 'A2728XDNODOQ8T' },
  ca: { countryCode: 'ca', domain: 'ca', marketplaceId: 'A2CQZ5RBY40XE' },
  it: { countryCode: 'it', domain: 'it', marketplaceId: 'A2N7FU2W2BU2ZC' },
  au: { countryCode: 'au', domain: 'com.au', marketplaceId: 'AN7EY7DTAW63G' },
  in: { countryCode: 'in', domain: 'in', marketplaceId: 'AJO3FBRUE6J4S' },
  jp: { countryCode: 'jp', domain: 'co.jp', marketplaceId: 'A1QAP3MOU4173J' },
  es: { countryCode: 'es', domain: 'es', marketplaceId: 'ALMIKO4SZCSAR' },
  br: { countryCode: 'br', domain: 'com.br', marketplaceId: 'A10J1VAYUDTYRN' },
};

/** Pre-Amazon "Audible username" accounts exist only on these domains. */
const USERNAME_DOMAINS = new Set(['com', 'co.uk', 'de']);

export function marketplaceFor(locale: LocaleCode): Marketplace {
  return MARKETPLACES[locale];
}

/** Base URLs of the hosts the client talks to. Tests point them at `tools/fake-audible`. */
export interface AudibleEndpoints {
  /** `https://api.audible.{domain}`: library, catalogue, annotations, stats. */
  apiUrl: string;
  /** `https://api.amazon.{domain}`: register, token refresh, deregister. */
  amazonUrl: string;
  /** `https://www.amazon.{domain}`: the sign-in page and its maplanding return. */
  signInUrl: string;
}

/**
 * The endpoints for a marketplace, with overrides. When only `amazonUrl` is overridden, the
 * sign-in page is assumed to live there too (the fake serves both).
 */
export function resolveEndpoints(locale: LocaleCode, overrides: Partial<AudibleEndpoints> = {}, withUsername = false): AudibleEndpoints {
  const { domain } = marketplaceFor(locale);
  if (withUsername && !USERNAME_DOMAINS.has(domain)) {
    // Not an error for the caller to handle: such an account cannot exist.
    throw new RangeError(`Audible username accounts exist only on audible.com, audible.co.uk and audible.de, not ${locale}`);
  }
  const trim = (url: string) => url.replace(/\/+$/, '');
  const amazonUrl = trim(overrides.amazonUrl ?? (withUsername ? `https://api.audible.${domain}` : `https://api.amazon.${domain}`));
  return {
    apiUrl: trim(overrides.apiUrl ?? `https://api.audible.${domain}`),
    amazonUrl,
    signInUrl: trim(overrides.signInUrl ?? (overrides.amazonUrl ? amazonUrl : withUsername ? `https://www.audible.${domain}` : `https://www.amazon.${domain}`)),
  };
}
