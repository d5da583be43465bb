// Plain JavaScript on purpose: a package's vitest.config.ts imports this through the package
// export `@fullon/core/testing/vitest-config`, and Vite loads config dependencies with Node
// itself, which runs JavaScript, not TypeScript, and needs no build of @fullon/core first.
// Types: vitest-config.d.ts beside this file.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The global setup that spawns Redis; vitest compiles it. */
const globalSetup = fileURLToPath(new URL('./global-setup.ts', import.meta.url));

/** Pure unit tests (no Redis): run once, in the `unit` project. */
const UNIT_TESTS = 'src/**/*.unit.test.ts';
/** Type tests (`expectTypeOf`), checked by `tsc` in the `unit` project. */
const TYPE_TESTS = 'src/**/*.test-d.ts';
/** Fault tests that start (and kill) Redis servers of their own: run once, in `faults`. */
const FAULT_TESTS = 'src/**/*.faults.test.ts';

/**
 * The vitest configuration every @fullon package uses: a `unit` project for pure unit files
 * (`*.unit.test.ts`) and type tests (`*.test-d.ts`), run once; a `faults` project for tests
 * that own their servers (`*.faults.test.ts`), run once; and two Redis projects,
 * `standalone` and `cluster`, each with its own spawned Redis, running every other
 * `*.test.ts`. Sources resolve through the `@fullon/source` condition.
 * @param {import('./vitest-config.js').FullonVitestOptions} [options] - Whether to add the cluster project, and the test timeout.
 * @returns {import('vitest/config').ViteUserConfig} A vitest config.
 */
export function fullonVitestConfig(options = {}) {
  const names = options.cluster === false ? ['standalone'] : ['standalone', 'cluster'];
  return defineConfig({
    resolve: { conditions: ['@fullon/source'] },
    ssr: { resolve: { conditions: ['@fullon/source'] } },
    test: {
      testTimeout: options.testTimeout ?? 30_000,
      hookTimeout: 60_000,
      // Files wait on Redis far more than they compute: three at once keep two cores busy
      // (vitest's default is one worker per core minus one — a single worker here). Each file
      // has its own key prefix, so files sharing a server cannot see each other's keys.
      maxWorkers: 3,
      // Transformed modules are kept on disk (node_modules/.experimental-vitest-cache): every
      // package's projects and every later package reuse core's compiled sources.
      experimental: { fsModuleCache: true },
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            include: [UNIT_TESTS],
            typecheck: { enabled: true, include: [TYPE_TESTS], tsconfig: 'tsconfig.json' },
          },
        },
        // Fault files kill, pause and time their own servers: one at a time, so one file's
        // load does not stretch another's deadlines.
        { extends: true, test: { name: 'faults', include: [FAULT_TESTS], maxWorkers: 1 } },
        ...names.map((name) => ({
          extends: true,
          test: {
            name,
            // The Redis files share one module graph per worker instead of importing
            // node-redis, valibot and the package afresh for each file (a third of the suite's
            // CPU). Each file already has its own key prefix and connection, and closes it.
            isolate: false,
            globalSetup: [globalSetup],
            include: ['src/**/*.test.ts'],
            exclude: [UNIT_TESTS, FAULT_TESTS, '**/node_modules/**'],
          },
        })),
      ],
    },
  });
}
