import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** PKCE verifier: base64url (no padding) of 32 random bytes, 43 characters. */
export function createCodeVerifier(): string {
  return randomBytes(32).toString('base64url');
}

/** S256 challenge: base64url (no padding) of SHA-256 of the verifier's ASCII. */
export function codeChallengeFor(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** The iOS Audible app's device type, which the external-browser flow registers as. */
export const IOS_DEVICE_TYPE = 'A2CZJZGLK2JJVM';

/** The Android Audible app's device type, which Libation (AudibleApi `Resources.DeviceType`) registers as. */
export const ANDROID_DEVICE_TYPE = 'A10KISP2GWF0E4';

/** Device serial: a random UUID as 32 upper-case hex characters. */
export function createDeviceSerial(): string {
  return randomUUID().replace(/-/g, '').toUpperCase();
}

/** OAuth client id: hex of the ASCII bytes of `<serial>#<device type>`. */
export function buildClientId(serial: string, deviceType: string = IOS_DEVICE_TYPE): string {
  return Buffer.from(`${serial}#${deviceType}`, 'ascii').toString('hex');
}
