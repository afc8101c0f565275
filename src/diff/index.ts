/** `runbook diff`: two pages read by the engine, compared by structure (see ./compare.ts). */
export {diffGraphs, type DiffReport, type Drift} from './compare.js'
export {renderDiffJson, renderDiffText} from './render.js'
