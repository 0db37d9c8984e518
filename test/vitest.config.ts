import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { configDefaults, defineConfig } from 'vitest/config'

/**
 * The slow lane (`npm run test:slow`, see vitest.slow.config.ts): the engine
 * (builds, workers, kills, watch), the command line spawned as a user runs it,
 * the robustness properties and growth measurements. Everything else —
 * stages, rules, serialisers, fixtures, schemas, conformance — is the fast
 * lane, `npm test`.
 */
export const SLOW = ['test/engine/**/*.test.ts', 'test/robustness/**/*.test.ts', 'test/growth.test.ts', 'test/e2e/cli.test.ts', 'test/**/*.slow.test.ts']

/** The settings both lanes share. Kept in test/ (the repository's top level holds only what the project is made of); run from the repository root. */
export const shared = {
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    // Temporary files in one folder, removed at the end (see global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    // Property tests from one seed (FC_SEED=<n> for another): see fast-check-seed.ts.
    setupFiles: ['test/fast-check-seed.ts'],
    // The end-to-end tests spawn the CLI and compile the pipeline once (test/e2e/cli.test.ts).
    testTimeout: 30_000,
    hookTimeout: 180_000,
    // Builds remember source hashes in a machine-local cache: the tests' own, not the user's.
    env: { FRUS_PIPELINE_CACHE: join(tmpdir(), 'frus-pipeline-test-cache') }
  }
}

/** Fast-lane files that mock a module (`vi.mock`): each runs in a context of its own, where the mock is the only copy of the module. */
const MOCKING = ['test/conformance/tei-schema.test.ts']

/**
 * The fast lane, `npm test`: on every core, the test files of a worker
 * sharing one module graph (`isolate: false`: importing the pipeline once
 * per worker rather than once per file halves the lane's time on two
 * cores), each test's spies restored and stubbed variables put back after
 * it; the files that mock a module are isolated.
 */
export default defineConfig({
  ...shared,
  test: {
    ...shared.test,
    maxWorkers: availableParallelism(),
    projects: [
      { extends: true, test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...SLOW, ...MOCKING], isolate: false, restoreMocks: true, unstubEnvs: true } },
      { extends: true, test: { name: 'fast, isolated', include: MOCKING } }
    ]
  }
})
