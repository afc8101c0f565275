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
    // The parse and the graph run hundreds of regular expressions (lexicons in several languages,
    // Unicode classes) a few times each. V8 first runs each in its bytecode interpreter and
    // compiles it only once it proves hot; for these, compiling at first use halves the graph's
    // time on a first run (70–80 → 40–45 ms on the reference page, measured alternating). Not set for a cached graph,
    // where the few expressions that run are cheaper interpreted. V8 reads the flag as it meets
    // each expression, so it holds from here on, for the whole process.
    // (node:v8 is loaded here only: a cached run has no use for it.)
    const [{setFlagsFromString}, {parseFile}, {buildGraph}] = await Promise.all([import('node:v8'), import('../parse/index.js'), import('../graph/index.js')])
    setFlagsFromString('--no-regexp-tier-up')
    return buildGraph(parseFile(file, {includePaths: bases, cache: seen}))
  })
}
