import { defineConfig } from 'vitest/config'
import { SLOW, shared } from './vitest.config.js'

/**
 * The slow lane, `npm run test:slow`: see vitest.config.ts. `.ci/run` runs
 * both lanes. The hostile inputs of a hundred megabytes or a million lines
 * (`test/security/*.slow.test.ts`) run each in a heap-limited child, within
 * a longer time limit.
 */
export default defineConfig({ ...shared, test: { ...shared.test, include: SLOW, testTimeout: 300_000, hookTimeout: 300_000 } })
