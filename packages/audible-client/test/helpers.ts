import { startFakeAudible, type FakeAudible, type FakeAudibleOptions } from '@sagasync/fake-audible';
import { AudibleClient, createLoginRequest, parseMaplandingUrl, registerDevice, type AudibleClientOptions, type AudibleCredentials } from '../src/index.js';

/** Starts the fake; the caller closes it. */
export async function startFake(options: FakeAudibleOptions = {}): Promise<FakeAudible> {
  return startFakeAudible({ titles: 40, series: 6, seed: 11, ...options });
}

export const endpointsOf = (fake: FakeAudible) => ({ apiUrl: fake.apiUrl, amazonUrl: fake.amazonUrl });

/**
 * The external-browser sign-in as a person does it: open the URL (the fake signs in at once and
 * redirects), copy the maplanding address from the browser, paste it back; then register.
 */
export async function signIn(fake: FakeAudible): Promise<AudibleCredentials> {
  const login = createLoginRequest({ locale: 'us', endpoints: endpointsOf(fake) });
  const landing = await fetch(login.url, { redirect: 'manual' });
  const pasted = landing.headers.get('location');
  if (!pasted) throw new Error(`sign-in page answered ${landing.status} without a redirect`);
  return registerDevice(login, parseMaplandingUrl(`  ${pasted}  `), { endpoints: endpointsOf(fake) });
}

/** Sleeps are recorded and skipped, so retry tests check the waits without waiting. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms) };
}

export function clientFor(fake: FakeAudible, credentials: AudibleCredentials, extra: Partial<AudibleClientOptions> = {}): AudibleClient {
  return new AudibleClient({ credentials, endpoints: endpointsOf(fake), ...extra });
}
