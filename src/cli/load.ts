/**
 * A name or path → parsed page → step graph. The parser and the graph builder
 * are loaded only when the graph cache cannot answer.
 */
import type {Graph} from '../graph/types.js'
import {cachedGraph} from './graph-cache.js'
import {mkdocsBasePaths, resolveTarget} from './target.js'

export async function loadGraph(target: string, includePaths: string[] = []): Promise<Graph> {
  const file = resolveTarget(target)
  const bases = [...includePaths, ...mkdocsBasePaths(file)]
  return cachedGraph(file, bases, async (seen) => {
    // The parser and the graph builder, with V8's cache of their compiled code (./analysis-loader.ts),
    // which also sets the V8 flags they run under.
    const {loadAnalysis} = await import('./analysis-loader.js')
    const {parseFile, buildGraph} = await loadAnalysis()
    return buildGraph(parseFile(file, {includePaths: bases, cache: seen}))
  })
}
