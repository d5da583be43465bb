import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchSuite } from './suite.js';

/**
 * Finds every suite in `suites/` (each module exports `suite`), tick first, then by name.
 * @param only - Comma list of suite names to keep; every suite when absent.
 * @returns The suites.
 */
export async function loadSuites(only: string | undefined): Promise<BenchSuite[]> {
  const folder = join(dirname(fileURLToPath(import.meta.url)), 'suites');
  const files = readdirSync(folder).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'));
  const wanted = only?.split(',').map((name) => name.trim());
  const suites: BenchSuite[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(join(folder, file)).href)) as { suite?: BenchSuite };
    if (module.suite === undefined) continue;
    if (wanted === undefined || wanted.includes(module.suite.name)) suites.push(module.suite);
  }
  return suites.sort((a, b) =>
    a.name === 'tick' ? -1 : b.name === 'tick' ? 1 : a.name.localeCompare(b.name),
  );
}
