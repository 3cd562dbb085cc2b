/** Where the CLI reads and writes; injected so tests run the program in-process. */
export interface CliIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  /** True when stdout is a terminal: colours and boxed tables only then. */
  isTTY: boolean;
  /** The terminal's width in cells when stdout is one; tables fit it. Unset: `$COLUMNS`, else 80. */
  columns?: number;
  /** True when stderr is a terminal: progress bars only then. Unset: as `isTTY`. */
  stderrIsTTY?: boolean;
  /** The width of stderr's terminal, for the progress line. Unset: `columns`. */
  stderrColumns?: number;
  /** True when stdin is a terminal: `import -` then has nothing piped to read. */
  stdinIsTTY?: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Asks the person one question (on stderr) and reads a line; null when nobody can answer. */
  prompt(question: string, options?: { hidden?: boolean }): Promise<string | null>;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: Boolean(process.stdout.isTTY),
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
    stderrIsTTY: Boolean(process.stderr.isTTY),
    stderrColumns: process.stderr.isTTY ? process.stderr.columns : undefined,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    env: process.env,
    cwd: process.cwd(),
    prompt: promptLine,
  };
}

/** Reads one line from stdin (a terminal or a pipe); a hidden prompt does not echo. */
async function promptLine(question: string, options: { hidden?: boolean } = {}): Promise<string | null> {
  const { createInterface } = await import('node:readline');
  const { Writable } = await import('node:stream');
  let muted = false;
  // Echo goes through this stream, so a hidden answer (a passphrase) never reaches the screen.
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const stdin = process.stdin as { ref?: () => void; unref?: () => void };
  stdin.ref?.(); // a previous question let it go
  const rl = createInterface({ input: process.stdin, output, terminal: Boolean(process.stdin.isTTY) });
  return new Promise((resolve) => {
    let answered = false;
    rl.on('close', () => {
      // readline leaves a piped stdin referenced after close: an open pipe would keep the process alive.
      stdin.unref?.();
      if (!answered) resolve(null);
    });
    rl.question(question, (answer) => {
      answered = true;
      if (options.hidden) process.stderr.write('\n');
      rl.close();
      stdin.unref?.();
      resolve(answer);
    });
    muted = Boolean(options.hidden);
  });
}
