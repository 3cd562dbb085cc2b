import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';

/**
 * DynamoDB Local ships inside this npm tarball (emulator/DynamoDBLocal.jar); its licence forbids
 * redistributing it, so it is fetched with `npm pack` into a cache under node_modules, never committed.
 * Only the tarball is fetched: installing the package would pull the Amplify CLI with it.
 */
const SIMULATOR = 'amplify-dynamodb-simulator@2.9.30';
const SIMULATOR_SHA1 = 'a7ec81c475dc309aa15d047d8d03679c8be49189';
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CACHE = join(REPO_ROOT, 'node_modules', '.cache', 'sagasync-dynamodb-local', SIMULATOR.replace('@', '-'));

export interface DynamoDbLocal {
  /** e.g. http://127.0.0.1:41234; clients need a region and any credentials besides. */
  endpoint: string;
  stop(): void;
}

/** The emulator folder, fetched and unpacked on first use (about 57 MB, a few seconds). */
export function dynamoDbLocalJarDir(): string {
  const emulator = join(CACHE, 'emulator');
  if (existsSync(join(emulator, 'DynamoDBLocal.jar'))) return emulator;
  mkdirSync(dirname(CACHE), { recursive: true });
  // Unpack beside the cache and rename into place, so two setups starting at once never see half a folder.
  const staging = mkdtempSync(`${CACHE}.staging-`);
  try {
    const pack = spawnSync('npm', ['pack', SIMULATOR, '--pack-destination', staging, '--silent'], { encoding: 'utf8' });
    if (pack.status !== 0) throw new Error(`npm pack ${SIMULATOR} failed (DynamoDB Local comes from that tarball): ${pack.stderr || pack.stdout}`);
    const tarball = join(staging, pack.stdout.trim().split('\n').pop()!);
    const sha1 = createHash('sha1').update(readFileSync(tarball)).digest('hex');
    if (sha1 !== SIMULATOR_SHA1) throw new Error(`${SIMULATOR} tarball has sha1 ${sha1}, expected ${SIMULATOR_SHA1}`);
    const untar = spawnSync('tar', ['xzf', tarball, '-C', staging, '--strip-components=1', 'package/emulator'], { encoding: 'utf8' });
    if (untar.status !== 0) throw new Error(`could not unpack ${tarball}: ${untar.stderr}`);
    rmSync(tarball);
    try {
      renameSync(staging, CACHE);
    } catch (error) {
      if (!existsSync(join(emulator, 'DynamoDBLocal.jar'))) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return emulator;
}

function answers(endpoint: string): Promise<boolean> {
  return new Promise((done) => {
    const req = request(endpoint, { method: 'GET', timeout: 1000 }, (res) => {
      res.resume();
      done(true);
    });
    req.on('error', () => done(false));
    req.on('timeout', () => {
      req.destroy();
      done(false);
    });
    req.end();
  });
}

/**
 * Starts DynamoDB Local in memory on a free loopback port with Java 17 (`java` on the PATH;
 * Debian: openjdk-17-jre-headless) and waits until it answers (about 3 s).
 */
export async function startDynamoDbLocal(options: { heapMb?: number } = {}): Promise<DynamoDbLocal> {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.status !== 0) throw new Error('tests on DynamoDB Local need Java 17 on the PATH (Debian: apt-get install openjdk-17-jre-headless)');
  const dir = dynamoDbLocalJarDir();
  const port = await freePort();
  const child = spawn(
    'java',
    [`-Xmx${options.heapMb ?? 512}m`, '-Djava.library.path=./DynamoDBLocal_lib', '-jar', 'DynamoDBLocal.jar', '-inMemory', '-port', String(port), '-disableTelemetry'],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  const deadline = Date.now() + 60_000;
  while (!(await answers(endpoint))) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}): ${stderr}`);
    if (Date.now() > deadline) {
      stop();
      throw new Error(`DynamoDB Local did not answer on ${endpoint} within 60 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { endpoint, stop };
}
