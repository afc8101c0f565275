/** A name or path → parsed page → step graph. */
import {buildGraph} from '../graph/index.js'
import type {Graph} from '../graph/types.js'
import {parseFile} from '../parse/index.js'
import {mkdocsBasePaths, resolveTarget} from './target.js'

export function loadGraph(target: string, includePaths: string[] = []): Graph {
  const file = resolveTarget(target)
  const page = parseFile(file, {includePaths: [...includePaths, ...mkdocsBasePaths(file)]})
  return buildGraph(page)
}
