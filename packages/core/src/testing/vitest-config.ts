import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const globalSetup = fileURLToPath(
  new URL(`./global-setup${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
);

/** Options of {@link fullonVitestConfig}. */
export interface FullonVitestOptions {
  /** Also run every test against a spawned 3-master cluster. Defaults to `true`. */
  cluster?: boolean;
  /** Per-test timeout in ms. Defaults to 30 000. */
  testTimeout?: number;
}

/** Pure unit tests (no Redis): run once, in the `unit` project. */
const UNIT_TESTS = 'src/**/*.unit.test.ts';
/** Type tests (`expectTypeOf`), checked by `tsc` in the `unit` project. */
const TYPE_TESTS = 'src/**/*.test-d.ts';

/**
 * The vitest configuration every @fullon package uses: a `unit` project for pure unit files
 * (`*.unit.test.ts`) and type tests (`*.test-d.ts`), run once; and two Redis projects,
 * `standalone` and `cluster`, each with its own spawned Redis, running every other
 * `*.test.ts`. Sources resolve through the `@fullon/source` condition.
 * @param options - Whether to add the cluster project, and the test timeout.
 * @returns A vitest config.
 */
export function fullonVitestConfig(options: FullonVitestOptions = {}): ViteUserConfig {
  const names = options.cluster === false ? ['standalone'] : ['standalone', 'cluster'];
  return defineConfig({
    resolve: { conditions: ['@fullon/source'] },
    ssr: { resolve: { conditions: ['@fullon/source'] } },
    test: {
      testTimeout: options.testTimeout ?? 30_000,
      hookTimeout: 60_000,
      projects: [
        {
          extends: true as const,
          test: {
            name: 'unit',
            include: [UNIT_TESTS],
            typecheck: { enabled: true, include: [TYPE_TESTS], tsconfig: 'tsconfig.json' },
          },
        },
        ...names.map((name) => ({
          extends: true as const,
          test: {
            name,
            globalSetup: [globalSetup],
            include: ['src/**/*.test.ts'],
            exclude: [UNIT_TESTS, '**/node_modules/**'],
          },
        })),
      ],
    },
  });
}
