import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The end-to-end tests spawn the CLI and compile the pipeline once (test/e2e/cli.test.ts).
    testTimeout: 30_000,
    hookTimeout: 180_000
  }
})
