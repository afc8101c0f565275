/**
 * A content-addressed cache of step graphs. Parsing a long page costs more
 * than everything else a dry-run does, and a page rarely changes between two
 * runs: the graph is kept under `$XDG_CACHE_HOME/runbook/graphs/`, with the
 * hash of every file the parse read (and every include candidate it found
 * absent), and reused only while all of them are unchanged and the engine is
 * the same build. Best effort: any problem means a fresh parse.
 */
import {createHash} from 'node:crypto'
import {readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {cacheRoot, engineStamp, pruneCache, readJsonCache, writeJsonCache} from '../cache.js'
import type {Graph} from '../graph/types.js'

/** parse/include-files' cap, not imported: a warm run loads no parser module. */
const MAX_INCLUDE_BYTES = 8 * 1024 * 1024

interface Entry {
  engine: string
  /** Path → sha256 of its content, or null for a path that did not exist. */
  files: Record<string, string | null>
  graph: Graph
}

export async function cachedGraph(page: string, includePaths: string[], build: (seen: Map<string, string | null>) => Promise<Graph>): Promise<Graph> {
  const root = cacheRoot()
  if (!root) return build(new Map())
  const dir = join(root, 'graphs')
  const engine = engineStamp()
  // Named by build and page: entries an older build wrote are pruned by name, never read.
  const stamp = engine.slice(0, 16)
  const file = join(dir, `${stamp}-${hash(JSON.stringify([page, includePaths]))}.json`)
  const hit = read(file, engine)
  if (hit) return hit
  const seen = new Map<string, string | null>()
  const graph = await build(seen)
  writeJsonCache(file, {engine, files: Object.fromEntries([...seen].map(([path, text]) => [path, text === null ? null : hash(text)])), graph})
  pruneCache(dir, (name) => name.endsWith('.json'), (name) => name.startsWith(`${stamp}-`))
  return graph
}

function read(file: string, engine: string): Graph | undefined {
  const entry = readJsonCache<Entry>(file)
  if (!entry || entry.engine !== engine) return undefined
  for (const [path, expected] of Object.entries(entry.files)) if (contentHash(path) !== expected) return undefined
  return entry.graph
}

function contentHash(path: string): string | null {
  try {
    // Never open what is not a regular file of a sane size: a FIFO would block the check.
    const stats = statSync(path)
    if (!stats.isFile() || stats.size > MAX_INCLUDE_BYTES) return `not-a-document:${stats.mode}:${stats.size}`
    return hash(readFileSync(path, 'utf8'))
  } catch {
    return null
  }
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
