/**
 * The engine's caches live under `$XDG_CACHE_HOME/runbook/` (default
 * `~/.cache/runbook/`); `RUNBOOK_NO_CACHE=1` turns them off. They are best
 * effort: a cache that cannot be read or written only costs time, and each
 * one checks what its answers depend on before it uses them.
 */
import {createHash} from 'node:crypto'
import {mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

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
  if (!file) return
  try {
    mkdirSync(dirname(file), {recursive: true})
    const temp = `${file}.${process.pid}.tmp`
    writeFileSync(temp, JSON.stringify(value), {mode: 0o600})
    renameSync(temp, file)
  } catch {
    // A read-only home or a full disk only costs the next run some time.
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
  stamp = createHash('sha256').update(parts.join('\n')).digest('hex')
  return stamp
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}
