import { defineConfig } from 'vitest/config'
import { SLOW, shared } from './vitest.config.js'

/** The slow lane, `npm run test:slow`: see vitest.config.ts. `.ci/run` runs both lanes. */
export default defineConfig({ ...shared, test: { ...shared.test, include: SLOW } })
