import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const script = fileURLToPath(new URL('./fixtures/store-child.ts', import.meta.url));

export interface StoreChild {
  process: ChildProcess;
  /** Sends a line to the child's stdin (`hold-lock` releases the lock on it). */
  send(line: string): void;
  /** Resolves when the child prints `line`; rejects if it exits first. */
  waitFor(line: string): Promise<void>;
  /** Everything the child printed, and its exit. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Starts `test/fixtures/store-child.ts` with TypeScript sources resolved as in the tests. */
export function startStoreChild(args: string[]): StoreChild {
  const child = spawn(process.execPath, ['--conditions=@sagasync/source', '--import', 'tsx', script, ...args], {
    cwd: packageDir,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { line: string; resolve: () => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const waiter of [...waiters]) {
      if (stdout.split('\n').includes(waiter.line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    process: child,
    exited,
    send: (line) => child.stdin.write(`${line}\n`),
    waitFor: (line) =>
      new Promise<void>((resolve, reject) => {
        if (stdout.split('\n').includes(line)) return resolve();
        waiters.push({ line, resolve });
        void exited.then(({ code, signal }) => reject(new Error(`child exited (${code ?? signal}) before printing ${line}: ${stderr}`)));
      }),
  };
}
