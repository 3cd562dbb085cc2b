/**
 * Runs the fake as its own process, for trying a Lambda handler by hand:
 *
 *   npx tsx tools/fake-secrets-manager/src/main.ts --port 4566 --secret sagasync/secret=... --secret notion/internal-token=...
 *
 * Prints one JSON line `{"url": ...}` (never the values) and serves until SIGTERM/SIGINT, or
 * until stdin closes with `--until-stdin-closes`. Point `AWS_ENDPOINT_URL_SECRETS_MANAGER` at it.
 */
import { startFakeSecretsManager } from './server.js';

const secrets: Record<string, string> = {};
let port: number | undefined;
let region: string | undefined;
for (let i = 2; i < process.argv.length; i += 1) {
  const arg = process.argv[i];
  if (arg === '--secret') {
    const pair = process.argv[++i] ?? '';
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error('--secret takes name=value');
    secrets[pair.slice(0, at)] = pair.slice(at + 1);
  } else if (arg === '--port') port = Number(process.argv[++i]);
  else if (arg === '--region') region = process.argv[++i];
}

const fake = await startFakeSecretsManager({ port, region, secrets });
process.stdout.write(`${JSON.stringify({ url: fake.url, region: fake.region, secrets: Object.keys(secrets) })}\n`);
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
