/**
 * The engine's caches live under `$XDG_CACHE_HOME/runbook/` (default
 * `~/.cache/runbook/`); `RUNBOOK_NO_CACHE=1` turns them off. They are best
 * effort: a cache that cannot be read or written only costs time, and each
 * one checks what its answers depend on before it uses them. Their files
 * carry the engine's build in their names, so that what an older build wrote
 * is pruned by name (`pruneCache`), and none grows without bound.
 */
import {mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {sha256Hex} from './digest.js'

export function cacheRoot(env = process.env): string | undefined {
  if (env.RUNBOOK_NO_CACHE) return undefined
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'runbook')
}

export function readJsonCache<T>(file: string | undefined): T | undefined {
  if (!file) return undefined
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T
  } catch {
    return undefined
  }
}

/** Rename over the old file so that a reader never sees half of it; no fsync, it is only a cache. */
export function writeJsonCache(file: string | undefined, value: unknown): void {
  if (file) writeCacheText(file, JSON.stringify(value))
}

/** writeJsonCache for JSON already made (by a writer that had to know its size). */
export function writeCacheText(file: string | undefined, text: string): void {
  if (!file) return
  try {
    mkdirSync(dirname(file), {recursive: true})
    const temp = `${file}.${process.pid}.tmp`
    writeFileSync(temp, text, {mode: 0o600})
    renameSync(temp, file)
  } catch {
    // A read-only home or a full disk only costs the next run some time.
  }
}

/** How often a cache folder is pruned, and how many files it keeps at most (the most recently written). */
const PRUNE_EVERY_MS = 60 * 60 * 1000
const KEEP_FILES = 4096
/** A writer's temporary file older than this was left by a process that died. */
const STALE_TEMP_MS = 10 * 60 * 1000

/**
 * Removes from `dir` what can no longer answer: files of other builds (names
 * matching `ours` are this build's; `isCacheFile` says which names are the
 * cache's at all), temporary files of writers that died, then the oldest
 * files beyond KEEP_FILES. At most once an hour per folder (a marker file
 * remembers when), so that writing many entries in a row stays linear.
 */
export function pruneCache(dir: string, isCacheFile: (name: string) => boolean, ours: (name: string) => boolean, now = Date.now()): void {
  const marker = join(dir, '.pruned')
  try {
    if (now - statSync(marker).mtimeMs < PRUNE_EVERY_MS) return
  } catch {
    // Never pruned yet.
  }
  try {
    writeFileSync(marker, '', {mode: 0o600})
    utimesSync(marker, now / 1000, now / 1000)
    const kept: Array<{path: string; mtime: number}> = []
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (name.endsWith('.tmp')) {
        if (now - statSync(path).mtimeMs > STALE_TEMP_MS) rmSync(path, {force: true})
      } else if (isCacheFile(name)) {
        if (!ours(name)) rmSync(path, {force: true})
        else kept.push({path, mtime: statSync(path).mtimeMs})
      }
    }
    kept.sort((a, b) => b.mtime - a.mtime)
    for (const old of kept.slice(KEEP_FILES)) rmSync(old.path, {force: true})
  } catch {
    // Best effort, like the caches themselves.
  }
}

/** Set by the bundler (src/build/bundle.mjs), new on every build; absent when the sources run as they are. */
declare const RUNBOOK_BUILD: string | undefined

let stamp: string | undefined

/**
 * The engine's own build, so that a cache never outlives the code that filled
 * it: the bundle's build id, or else the sizes and times of the engine's
 * files (this folder and the folders in it).
 */
export function engineStamp(): string {
  if (stamp) return stamp
  if (typeof RUNBOOK_BUILD === 'string') return (stamp = RUNBOOK_BUILD)
  const parts: string[] = []
  const walk = (dir: string, depth: number) => {
    for (const name of safeList(dir).sort()) {
      const path = join(dir, name)
      const info = statSync(path)
      if (info.isDirectory() && depth < 4) walk(path, depth + 1)
      else if (/\.(js|ts|tsx)$/.test(name)) parts.push(`${path}:${info.size}:${info.mtimeMs}`)
    }
  }
  walk(dirname(fileURLToPath(import.meta.url)), 0)
  stamp = sha256Hex(parts.join('\n'))
  return stamp
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}
