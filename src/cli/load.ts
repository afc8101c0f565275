/**
 * A name or path → parsed page → step graph. The parser and the graph builder
 * are loaded only when the graph cache cannot answer.
 */
import type {Graph} from '../graph/types.js'
import {cachedGraph} from './graph-cache.js'
import {mkdocsBasePaths, resolveTarget} from './target.js'

/** `beforeParse`: called when the cache cannot answer, before the parser starts (see effects/ahead.ts). */
export async function loadGraph(target: string, includePaths: string[] = [], beforeParse?: () => Promise<void>): Promise<Graph> {
  const file = resolveTarget(target)
  const bases = [...includePaths, ...mkdocsBasePaths(file)]
  return cachedGraph(file, bases, async (seen) => {
    const [{parseFile}, {buildGraph}] = await Promise.all([import('../parse/index.js'), import('../graph/index.js'), beforeParse?.()])
    return buildGraph(parseFile(file, {includePaths: bases, cache: seen}))
  })
}
