import { createPrivateKey, sign, type KeyObject } from 'node:crypto';

/**
 * Headers of a signed Audible request: RSA-SHA256 (PKCS#1 v1.5) over
 * `METHOD\nPATH_WITH_QUERY\nTIMESTAMP\nBODY\nADP_TOKEN`, where PATH_WITH_QUERY is exactly the
 * encoded path and query sent on the wire.
 */
export function signRequest(input: {
  method: string;
  pathWithQuery: string;
  body: string;
  adpToken: string;
  /** The device's PKCS#1 PEM, or a key object made from it once (parsing the PEM per request is slow). */
  privateKey: string | KeyObject;
  now: Date;
}): Record<string, string> {
  // Whole seconds: the form the Postman signing example uses and Amazon accepts.
  const timestamp = input.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const data = `${input.method.toUpperCase()}\n${input.pathWithQuery}\n${timestamp}\n${input.body}\n${input.adpToken}`;
  const key = typeof input.privateKey === 'string' ? createPrivateKey(input.privateKey) : input.privateKey;
  const signature = sign('sha256', Buffer.from(data, 'utf8'), key).toString('base64');
  return {
    'x-adp-token': input.adpToken,
    'x-adp-alg': 'SHA256withRSA:1.0',
    'x-adp-signature': `${signature}:${timestamp}`,
  };
}
