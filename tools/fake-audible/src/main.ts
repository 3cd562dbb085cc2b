/**
 * Runs the fake as its own process, for the bench and for trying the CLI by hand:
 *
 *   npx tsx --conditions=@sagasync/source tools/fake-audible/src/main.ts --titles 2000 --series 300
 *
 * Prints one JSON line `{"apiUrl": ..., "amazonUrl": ...}` and serves until stdin closes or
 * SIGTERM/SIGINT. Point `SAGASYNC_AUDIBLE_API_URL` / `SAGASYNC_AMAZON_API_URL` at the two URLs.
 */
import { startFakeAudible } from './server.js';

function arg(name: string): number | undefined {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : NaN;
  return Number.isFinite(value) ? value : undefined;
}

const fake = await startFakeAudible({ titles: arg('titles'), series: arg('series'), seed: arg('seed') });
process.stdout.write(`${JSON.stringify({ apiUrl: fake.apiUrl, amazonUrl: fake.amazonUrl })}\n`);
let closing = false;
const stop = () => {
  if (closing) return;
  closing = true;
  void fake.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
if (process.argv.includes('--until-stdin-closes')) {
  process.stdin.resume();
  process.stdin.on('end', stop);
}
