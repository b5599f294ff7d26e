import { defineConfig } from 'vitest/config';

// Browser tests: each file starts a server and Chromium, so files run one at a time.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
