#!/usr/bin/env node
// Bundles every Lambda handler (src/handlers/<name>.ts) into dist/<name>/index.mjs for the
// nodejs22.x runtime, with esbuild: ESM, minified, tree-shaken, a linked source map and the
// metafile beside it (dist/<name>/meta.json). The AWS SDK (@aws-sdk/*, @smithy/*) is left to the
// Lambda runtime. Workspace packages are bundled from their TypeScript source
// (the `@sagasync/source` condition), so no package needs building first.
//
//   node apps/lambda/scripts/bundle.mjs      (npm run build -w @sagasync/lambda)
//   node apps/lambda/scripts/bundle.mjs --outdir /tmp/out --limit 500000 path/to/handler.ts
//
// Prints each bundle's size and its largest inputs; exits 1, one line per bundle, when a bundle is
// over 1 MB (1,000,000 bytes) or pulls in a module that must never be in a Lambda bundle (the SQL
// stores and their drivers, the server, the CLI).
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeMetafile, build } from 'esbuild';

const appDir = resolve(import.meta.dirname, '..');
const repoRoot = resolve(appDir, '../..');

/** The size goal of issue 15: each handler bundle under 1 MB. */
export const BUNDLE_LIMIT_BYTES = 1_000_000;

/** Lets CommonJS dependencies that call require() (for node built-ins) run inside an ES module. */
const BANNER = "import { createRequire as __sagasyncCreateRequire } from 'node:module'; const require = __sagasyncCreateRequire(import.meta.url);";

/** Never in a Lambda bundle: native or server-only code a handler would drag in by importing the server or a SQL store. */
const FORBIDDEN_IMPORT = /^(better-sqlite3|pg|pg-[a-z0-9-]+|@sagasync\/(storage-sqlite|storage-postgres|server|cli))(\/|$)/;
const FORBIDDEN_INPUT = /(^|\/)(node_modules\/(better-sqlite3|pg|pg-[^/]+)\/|packages\/storage-(sqlite|postgres)\/|apps\/(server|cli)\/)/;

/** The handlers: src/handlers/*.ts (not tests nor declarations), name -> absolute path. */
export async function handlerEntries(dir = join(appDir, 'src/handlers')) {
  let files = [];
  try {
    files = await readdir(dir);
  } catch (error) {
    if (error?.code !== 'ENOENT') throw error;
  }
  return Object.fromEntries(
    files
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts'))
      .sort()
      .map((file) => [basename(file, '.ts'), join(dir, file)]),
  );
}

/** Where a module is from, for the "largest inputs" figures: a package name or a workspace package. */
function origin(input) {
  const inModules = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (inModules) return inModules[1];
  const workspace = /^(packages|apps|tools)\/([^/]+)\//.exec(input);
  if (workspace) return workspace[1] === 'packages' ? `@sagasync/${workspace[2]}` : `${workspace[1]}/${workspace[2]}`;
  return input;
}

const kb = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

/** Throws a build error naming the importer when a handler reaches a forbidden module. */
const forbidServerOnly = {
  name: 'sagasync-forbid-server-only',
  setup(b) {
    b.onResolve({ filter: FORBIDDEN_IMPORT }, (args) => ({
      errors: [
        {
          text: `${args.path} must never be in a Lambda bundle (imported by ${relative(repoRoot, args.importer)}): handlers use @sagasync/storage-dynamodb and never import the server, the CLI or a SQL store`,
        },
      ],
    }));
  },
};

/**
 * Bundles the handlers. `entries`: name -> file, or a list of files (named by their base name);
 * default every src/handlers/*.ts. `outdir`: default apps/lambda/dist; each bundle goes to
 * `<outdir>/<name>/index.mjs` (+ `index.mjs.map`, `meta.json`). Resolves to one result per bundle;
 * `ok` is false when it is over `limitBytes` or contains a forbidden module. Build errors reject.
 */
export async function bundleHandlers(options = {}) {
  const outdir = resolve(options.outdir ?? join(appDir, 'dist'));
  const limitBytes = options.limitBytes ?? BUNDLE_LIMIT_BYTES;
  const entries = Array.isArray(options.entries)
    ? Object.fromEntries(options.entries.map((file) => [basename(file).replace(/\.[cm]?[jt]s$/, ''), resolve(file)]))
    : Object.fromEntries(Object.entries(options.entries ?? (await handlerEntries())).map(([name, file]) => [name, resolve(file)]));

  return Promise.all(
    Object.entries(entries).map(async ([name, entry]) => {
      const dir = join(outdir, name);
      const file = join(dir, 'index.mjs');
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      const result = await build({
        absWorkingDir: repoRoot,
        entryPoints: { index: entry },
        outdir: dir,
        // What a handler loads on demand (the matcher, Notion, an export parser) goes to chunks it
        // imports when a request needs them, so initialisation parses only what every request uses.
        splitting: true,
        chunkNames: 'chunks/[name]-[hash]',
        outExtension: { '.js': '.mjs' },
        bundle: true,
        format: 'esm',
        platform: 'node',
        target: 'node22',
        conditions: ['@sagasync/source', 'module'],
        mainFields: ['module', 'main'],
        external: ['@aws-sdk/*', '@smithy/*'],
        minify: true,
        treeShaking: true,
        sourcemap: 'linked',
        sourcesContent: false,
        legalComments: 'none',
        banner: { js: BANNER },
        metafile: true,
        logLevel: 'silent',
        plugins: [forbidServerOnly],
      });
      const metafilePath = join(dir, 'meta.json');
      await writeFile(metafilePath, JSON.stringify(result.metafile));
      // The bundle is the entry and its chunks: all of it is uploaded, so all of it counts.
      const code = Object.entries(result.metafile.outputs).filter(([path]) => path.endsWith('.mjs'));
      const bytes = (await Promise.all(code.map(([path]) => stat(join(repoRoot, path)).then((s) => s.size)))).reduce((a, b) => a + b, 0);
      const output = result.metafile.outputs[relative(repoRoot, file).split('\\').join('/')] ?? Object.values(result.metafile.outputs).find((o) => o.entryPoint);
      const byOrigin = new Map();
      for (const [, out] of code) for (const [input, { bytesInOutput }] of Object.entries(out.inputs)) byOrigin.set(origin(input), (byOrigin.get(origin(input)) ?? 0) + bytesInOutput);
      const largest = [...byOrigin.entries()].sort((a, b) => b[1] - a[1]).map(([from, size]) => ({ from, bytes: size }));
      const forbidden = Object.keys(result.metafile.inputs).filter((input) => FORBIDDEN_INPUT.test(input));
      const external = [...new Set((output?.imports ?? []).filter((i) => i.external).map((i) => i.path))].sort();
      const problems = [];
      if (bytes > limitBytes) problems.push(`${kb(bytes)} is over the ${kb(limitBytes)} limit`);
      if (forbidden.length) problems.push(`contains ${forbidden.map(origin).filter((v, i, all) => all.indexOf(v) === i).join(', ')}, which must never be in a Lambda bundle`);
      return {
        name,
        entry,
        file,
        bytes,
        metafile: metafilePath,
        largest,
        external,
        ok: problems.length === 0,
        problems,
        analysis: problems.length ? await analyzeMetafile(result.metafile, { verbose: false }) : null,
      };
    }),
  );
}

/** One line per bundle: name, size, largest inputs. */
export function describeBundles(results) {
  const width = Math.max(4, ...results.map((r) => r.name.length));
  return results.map((r) => {
    const top = r.largest
      .slice(0, 3)
      .map((l) => `${l.from} ${kb(l.bytes)}`)
      .join(', ');
    return `${r.name.padEnd(width)}  ${kb(r.bytes).padStart(9)}  ${relative(process.cwd(), r.file)}  (largest: ${top})`;
  });
}

/** `bundle.mjs [--outdir <dir>] [--limit <bytes>] [<entry.ts>...]`: by default every handler into apps/lambda/dist. */
function parseArgs(argv) {
  const options = {};
  const entries = [];
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--outdir') options.outdir = argv[++i];
    else if (argv[i] === '--limit') options.limitBytes = Number(argv[++i]);
    else entries.push(argv[i]);
  }
  if (entries.length) options.entries = entries;
  return options;
}

async function main() {
  const results = await bundleHandlers(parseArgs(process.argv.slice(2)));
  if (results.length === 0) {
    console.log('no handlers in apps/lambda/src/handlers');
    return 0;
  }
  for (const line of describeBundles(results)) console.log(line);
  const failed = results.filter((r) => !r.ok);
  for (const r of failed) console.error(r.analysis);
  for (const r of failed) console.error(`FAIL ${r.name}: ${r.problems.join('; ')}`);
  return failed.length ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}
