import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const examples = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Files in `src/` that are not example programs. */
const NOT_EXAMPLES = new Set(['run-all']);

/**
 * Every example program (each `src/<name>.ts`), in the order `pnpm examples` runs them: core,
 * tick and exchange first, then the others by name.
 */
export const EXAMPLE_PROGRAMS: readonly string[] = readdirSync(examples)
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
  .map((file) => file.slice(0, -3))
  .filter((name) => !NOT_EXAMPLES.has(name))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

function rank(name: string): number {
  const first = ['core', 'tick', 'exchange'].indexOf(name);
  return first === -1 ? 3 : first;
}

/**
 * Runs one example program in a child process, on the package sources, with `--operations all`.
 * @param name - Program name, e.g. `tick`.
 * @param options - Environment, extra arguments, and whether to show its output (`inherit`) or
 *   collect it (`pipe`, the default).
 * @returns The finished process.
 */
export function spawnExample(
  name: string,
  options: { env?: NodeJS.ProcessEnv; args?: readonly string[]; stdio?: 'inherit' | 'pipe' } = {},
): SpawnSyncReturns<string> {
  return spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=@fullon/source',
      join(examples, `${name}.ts`),
      '--operations',
      'all',
      ...(options.args ?? []),
    ],
    {
      env: options.env ?? process.env,
      stdio: options.stdio ?? 'pipe',
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
}
