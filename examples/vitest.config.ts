import { defineConfig } from 'vitest/config';

// The examples start their own Redis (the embedded default), so no global setup here.
export default defineConfig({
  resolve: { conditions: ['@fullon/source'] },
  ssr: { resolve: { conditions: ['@fullon/source'] } },
  test: { include: ['src/**/*.test.ts'], testTimeout: 120_000 },
});
