/**
 * Every property test runs from one seed, so that a run of either lane is
 * repeatable and CI does not pass or fail by chance: `FC_SEED=<n>` explores
 * other runs, and `npm run fuzz` many more cases. A failure prints its seed
 * and path, which replay it.
 */
import fc from 'fast-check'

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261205) })
