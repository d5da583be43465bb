import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

/** The built executable. */
export const CLI = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Builds the CLI and everything it depends on (tsc -b is incremental), bounded in time. */
export function buildCli(): void {
  execFileSync('pnpm', ['run', 'build'], { cwd: PACKAGE_DIR, stdio: 'pipe', timeout: 170_000 });
}

/**
 * An environment without any Redis variable (so no run can reach a Redis the test did not
 * name), plus `extra`.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(REDIS_|FULLON_|NO_COLOR|FORCE_COLOR)/.test(name)) env[name] = value;
  }
  return { ...env, ...extra };
}

/** What a run printed and how it ended. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI to its end (in a temporary directory, so no `.env` is read).
 * @param args - Arguments.
 * @param env - Extra environment.
 */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd: tmpdir(), env: cleanEnv(env), timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * Runs a command line under a pseudo-terminal (`script` of util-linux), so stdout is a TTY.
 * @param args - Arguments of the CLI.
 * @param env - Extra environment.
 */
export function runInTerminal(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`);
  return new Promise((resolve) => {
    execFile(
      'script',
      ['-qc', quoted.join(' '), '/dev/null'],
      { cwd: tmpdir(), env: cleanEnv(env), timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A long-running CLI (`--watch`) whose stdout lines can be awaited. */
export interface Watcher {
  readonly child: ChildProcess;
  /** Waits (bounded) for a line that `match` accepts. */
  line(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Sends SIGINT and waits for the exit code. */
  interrupt(): Promise<number | null>;
  /** Everything printed on stderr so far. */
  stderr(): string;
}

/**
 * Starts the built CLI and follows its output.
 * @param args - Arguments.
 */
export function startCli(args: string[]): Watcher {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: tmpdir(),
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  let errors = '';
  const waiters = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    for (const wake of waiters) wake();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    stderr: () => errors,
    line: (match, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = lines.find(match);
          if (found === undefined) return false;
          waiters.delete(wake);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const wake = (): void => {
          check();
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(
            new Error(`no such line within ${timeoutMs} ms; got:\n${lines.join('\n')}\n${errors}`),
          );
        }, timeoutMs);
        if (!check()) waiters.add(wake);
      }),
    interrupt: async () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}
