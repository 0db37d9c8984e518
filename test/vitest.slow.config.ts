import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/**
 * The slow lane (`npm run test:slow`, and a step of `.ci/run`): hostile
 * inputs of a hundred megabytes or a million lines, made on the fly in a
 * temporary folder. Kept out of `npm test`.
 */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/security/**/*.slow.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // One file at a time: each case holds a few hundred megabytes.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
    env: { FRUS_PIPELINE_CACHE: join(tmpdir(), 'frus-pipeline-test-cache') }
  }
})
