import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { configDefaults, defineConfig } from 'vitest/config'

/** Kept in test/ (the repository's top level holds only what the project is made of); run from the repository root. */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/**/*.test.ts'],
    // The slow lane has its own configuration (vitest.slow.config.ts, `npm run test:slow`).
    exclude: [...configDefaults.exclude, 'test/**/*.slow.test.ts'],
    // Temporary files in one folder, removed at the end (see global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    // The end-to-end tests spawn the CLI and compile the pipeline once (test/e2e/cli.test.ts).
    testTimeout: 30_000,
    hookTimeout: 180_000,
    // Builds remember source hashes in a machine-local cache: the tests' own, not the user's.
    env: { FRUS_PIPELINE_CACHE: join(tmpdir(), 'frus-pipeline-test-cache') }
  }
})
