#!/usr/bin/env node
/**
 * `npm run build`, last step (src/build/bundle.mjs starts it, in a process of
 * its own so that V8 runs under the flags a user's process has): compiles
 * dist/analysis.cjs through src/cli/analysis-loader.ts, parses and graphs the
 * shipped runbooks with it, then writes the code V8 compiled meanwhile to
 * dist/analysis.cjs.<build>.v8cache. A first analysis of any page then starts with
 * the parser's and the graph's functions compiled; those these pages never
 * called compile as usual.
 */
import {readdirSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const runbooks = join(root, 'runbooks')
const {loadAnalysis, codeCacheState, saveCodeCache} = await import(pathToFileURL(join(root, 'dist', 'cli', 'analysis-loader.js')).href)
const {parseFile, buildGraph} = await loadAnalysis()
if (codeCacheState() !== 'absent') throw new Error(`a fresh build found compiled code already (${codeCacheState()})`)
for (const name of readdirSync(runbooks).filter((name) => name.endsWith('.md')).sort()) {
  const graph = buildGraph(parseFile(join(runbooks, name)))
  if (graph.procedures.length === 0) throw new Error(`runbooks/${name}: no procedure found while training the code cache`)
}
saveCodeCache()
