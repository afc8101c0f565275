/**
 * A page's first analysis, the parser and the graph builder, as the build
 * also bundles them on their own: one CommonJS file, `dist/analysis.cjs`,
 * that ./analysis-loader.ts runs with V8's cache of its compiled code
 * (src/build/bundle.mjs). Nothing imports this module; the loader falls back
 * to the two modules themselves when the bundle is not there.
 */
export {parseFile} from '../parse/index.js'
export {buildGraph} from '../graph/index.js'
