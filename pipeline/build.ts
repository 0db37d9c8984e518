/** The build engine's entry points, where callers have always found them (the engine is in `engine/`: see engine/build.ts). */
export { build, collectionFiles, storeCollections, type BuildOptions, type BuildResult, type DocumentReport } from './engine/build.js'
