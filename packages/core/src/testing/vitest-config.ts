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

/**
 * The vitest configuration every @fullon package uses: two projects, `standalone` and `cluster`,
 * each with its own spawned Redis, sources resolved through the `@fullon/source` condition.
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
      projects: names.map((name) => ({
        extends: true,
        test: { name, globalSetup: [globalSetup], include: ['src/**/*.test.ts'] },
      })),
    },
  });
}
