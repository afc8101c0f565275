/**
 * A content-addressed cache of step graphs. Parsing a long page costs more
 * than everything else a dry-run does, and a page rarely changes between two
 * runs: the graph is kept under `$XDG_CACHE_HOME/runbook/graphs/`, with the
 * hash of every file the parse read (and every include candidate it found
 * absent), and reused only while all of them are unchanged and the engine is
 * the same build. Best effort: any problem means a fresh parse.
 */
import {createHash} from 'node:crypto'
import {mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import type {Graph} from '../graph/types.js'

interface Entry {
  engine: string
  /** Path → sha256 of its content, or null for a path that did not exist. */
  files: Record<string, string | null>
  graph: Graph
}

export function cacheDir(env = process.env): string | undefined {
  if (env.RUNBOOK_NO_CACHE) return undefined
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache')
  return join(base, 'runbook', 'graphs')
}

export async function cachedGraph(page: string, includePaths: string[], build: (seen: Map<string, string | null>) => Promise<Graph>): Promise<Graph> {
  const dir = cacheDir()
  if (!dir) return build(new Map())
  const file = join(dir, `${hash(JSON.stringify([page, includePaths]))}.json`)
  const engine = engineStamp()
  const hit = read(file, engine)
  if (hit) return hit
  const seen = new Map<string, string | null>()
  const graph = await build(seen)
  write(file, {engine, files: Object.fromEntries([...seen].map(([path, text]) => [path, text === null ? null : hash(text)])), graph})
  return graph
}

function read(file: string, engine: string): Graph | undefined {
  try {
    const entry = JSON.parse(readFileSync(file, 'utf8')) as Entry
    if (entry.engine !== engine) return undefined
    for (const [path, expected] of Object.entries(entry.files)) if (contentHash(path) !== expected) return undefined
    return entry.graph
  } catch {
    return undefined
  }
}

function write(file: string, entry: Entry): void {
  try {
    mkdirSync(dirname(file), {recursive: true})
    const temp = `${file}.${process.pid}.tmp`
    writeFileSync(temp, JSON.stringify(entry), {mode: 0o600})
    renameSync(temp, file)
  } catch {
    // A read-only home or a full disk only costs the next run a parse.
  }
}

function contentHash(path: string): string | null {
  try {
    return hash(readFileSync(path, 'utf8'))
  } catch {
    return null
  }
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

let stamp: string | undefined

/** The engine's own build: sizes and times of the compiled files beside this one and one level down. */
function engineStamp(): string {
  if (stamp) return stamp
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
  const parts: string[] = []
  for (const dir of [root, ...safeDirs(root)]) {
    for (const name of safeList(dir).filter((entry) => /\.(js|ts|tsx)$/.test(entry)).sort()) {
      const info = statSync(join(dir, name))
      parts.push(`${dir}/${name}:${info.size}:${info.mtimeMs}`)
    }
  }
  stamp = hash(parts.join('\n'))
  return stamp
}

function safeDirs(root: string): string[] {
  return safeList(root)
    .map((name) => join(root, name))
    .filter((path) => {
      try {
        return statSync(path).isDirectory()
      } catch {
        return false
      }
    })
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}
