import type { ViteUserConfig } from 'vitest/config';

/** Options of {@link fullonVitestConfig}. */
export interface FullonVitestOptions {
  /** Also run every test against a spawned 3-master cluster. Defaults to `true`. */
  cluster?: boolean;
  /** Per-test timeout in ms. Defaults to 30 000. */
  testTimeout?: number;
}

/**
 * The vitest configuration every @fullon package uses: a `unit` project for pure unit files
 * (`*.unit.test.ts`) and type tests (`*.test-d.ts`), run once; and two Redis projects,
 * `standalone` and `cluster`, each with its own spawned Redis.
 * @param options - Whether to add the cluster project, and the test timeout.
 * @returns A vitest config.
 */
export function fullonVitestConfig(options?: FullonVitestOptions): ViteUserConfig;
