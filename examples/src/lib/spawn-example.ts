import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const examples = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every example program, in the order `pnpm examples` runs them. */
export const EXAMPLE_PROGRAMS = ['core', 'tick', 'exchange'] as const;

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
