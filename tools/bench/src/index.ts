import { pathToFileURL } from 'node:url';
import type { BenchResult } from './support/measure.js';

// Every benchmark, in issue order. Each measures its baseline in the same run and says whether
// the goal is met. `npm run bench -- <name>` runs the ones whose name contains <name>.
const benches: { name: string; load: () => Promise<() => Promise<BenchResult>> }[] = [
  { name: 'parser', load: async () => (await import('./parser.bench.js')).runParserBench },
  { name: 'cli-import', load: async () => (await import('./cli-import.bench.js')).runCliImportBench },
  { name: 'cli-reads', load: async () => (await import('./cli-reads.bench.js')).runCliReadsBench },
  { name: 'matcher', load: async () => (await import('./matcher.bench.js')).runMatcherBench },
  { name: 'audible-sync', load: async () => (await import('./audible-sync.bench.js')).runAudibleSyncBench },
  { name: 'notion', load: async () => (await import('./notion.bench.js')).runNotionBench },
  { name: 'store-import', load: async () => (await import('./store-import.bench.js')).runStoreImportBench },
  { name: 'server-webhooks', load: async () => (await import('./server-webhooks.bench.js')).runServerWebhooksBench },
  { name: 'lambda', load: async () => (await import('./lambda.bench.js')).runLambdaBench },
];

export async function main(filter: string | undefined): Promise<number> {
  let failed = 0;
  for (const bench of benches.filter((b) => !filter || b.name.includes(filter))) {
    const started = Date.now();
    try {
      const run = await bench.load();
      const result = await run();
      console.log(`${result.ok ? 'PASS' : 'FAIL'} ${result.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      for (const line of result.lines) console.log(`  ${line}`);
      if (!result.ok) failed += 1;
    } catch (error) {
      failed += 1;
      console.log(`ERROR ${bench.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return failed === 0 ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv[2]);
}
