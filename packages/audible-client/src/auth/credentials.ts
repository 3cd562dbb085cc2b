import * as z from 'zod';
import { LocaleCodeSchema } from '../marketplaces.js';

/**
 * Everything needed to call Audible for one account on one marketplace. Secret: store it only
 * through an encrypted credential store, never log it.
 */
export const AudibleCredentialsSchema = z.object({
  locale: LocaleCodeSchema,
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  /** When the access token expires, epoch milliseconds. */
  expiresAt: z.number(),
  /** Present for a registered device: requests are then signed (the preferred mode). */
  adpToken: z.string().min(1).nullable(),
  /** PKCS#1 PEM private key of the registered device. */
  devicePrivateKey: z.string().min(1).nullable(),
  deviceSerial: z.string().nullable(),
  deviceType: z.string().nullable(),
  deviceName: z.string().nullable().default(null),
  /** Amazon customer id (`amzn1.account.…`); the account's stable name. */
  customerId: z.string().nullable(),
  customerName: z.string().nullable().default(null),
  /** A pre-Amazon Audible username account (auth against api.audible.*). */
  withUsername: z.boolean().default(false),
  websiteCookies: z.record(z.string(), z.string()).default({}),
  storeAuthenticationCookie: z.string().nullable().default(null),
  /**
   * The Audible app the device was registered as, whose values a token refresh sends: `ios` (this
   * client's and audible-cli's registration), `android` (Libation's). Null: decided by
   * `deviceType` (Android's `A10KISP2GWF0E4`, else iOS), as for credentials stored before.
   */
  deviceApp: z.enum(['ios', 'android']).nullable().default(null),
});
export type AudibleCredentials = z.infer<typeof AudibleCredentialsSchema>;

/** What may be shown about an account: no tokens, no keys. */
export interface AudibleAccountSummary {
  name: string;
  locale: AudibleCredentials['locale'];
  customerId: string | null;
  customerName: string | null;
  deviceName: string | null;
  /** Signed requests possible (a registered device), or access-token only. */
  signed: boolean;
  accessTokenExpiresAt: string;
}

/** The credential name an account is stored under: `audible:{locale}:{customerId}`. */
export function accountName(credentials: Pick<AudibleCredentials, 'locale' | 'customerId' | 'deviceSerial'>): string {
  return `audible:${credentials.locale}:${credentials.customerId ?? credentials.deviceSerial ?? 'unknown'}`;
}

export function summarizeAccount(credentials: AudibleCredentials): AudibleAccountSummary {
  return {
    name: accountName(credentials),
    locale: credentials.locale,
    customerId: credentials.customerId,
    customerName: credentials.customerName,
    deviceName: credentials.deviceName,
    signed: credentials.adpToken !== null && credentials.devicePrivateKey !== null,
    accessTokenExpiresAt: new Date(credentials.expiresAt).toISOString(),
  };
}
