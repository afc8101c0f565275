/**
 * Effects depend on the script text (and the HOME and USER it expands) alone,
 * so they are kept in `~/.cache/runbook/effects-<build>.json`, keyed by
 * those three as they are (no hash to compute, and none to collide). A run or a
 * dry-run whose commands were seen before never loads the shell parser, whose
 * WebAssembly heap also makes every later process spawn slower.
 */
import {join} from 'node:path'
import {cacheRoot, engineStamp, pruneCache, readJsonCache, writeCacheText} from '../cache.js'
import type {Effect} from './effect-types.js'

type Env = {HOME?: string; USER?: string}

let memory: Map<string, Effect[]> | undefined

/** Every run and dry-run reads the whole file: it stays below this many characters (the scripts are its keys). */
const MAX_FILE_CHARS = 4 * 1024 * 1024

export async function cachedEffects(script: string, env: Env = {}): Promise<Effect[]> {
  return (await cachedEffectsOf([script], env))[0]!
}

/**
 * The effects of many scripts: those not seen before are parsed together
 * (one call of the shell parser for all of them) and the cache file is
 * written once.
 */
export async function cachedEffectsOf(scripts: string[], env: Env = {}): Promise<Effect[][]> {
  const known = load()
  const keys = scripts.map((script) => keyOf(script, env))
  // Each script not seen before, once (a page repeats a command across its tabs).
  const missing = new Map<string, string>()
  scripts.forEach((script, i) => {
    if (!known.has(keys[i]!)) missing.set(keys[i]!, script)
  })
  if (missing.size > 0) {
    const [{inferEffects}, {parseScripts}] = await Promise.all([import('./effects.js'), import('./shell/script.js')])
    await parseScripts([...missing.values()])
    for (const [key, script] of missing) known.set(key, await inferEffects(script, {env}))
    const everything = JSON.stringify(Object.fromEntries(known))
    // Past the bound, the file starts again from this call's scripts (what the next run most likely asks).
    writeCacheText(file(), everything.length <= MAX_FILE_CHARS ? everything : JSON.stringify(Object.fromEntries(keys.map((key) => [key, known.get(key)!]))))
    const root = cacheRoot()
    // Each build has its own file: the files of other builds are of no use any more.
    if (root) pruneCache(root, (name) => /^effects-[0-9a-f]+\.json$/.test(name), (name) => name === `effects-${engineStamp().slice(0, 16)}.json`)
  }
  return keys.map((key) => known.get(key)!)
}

function load(): Map<string, Effect[]> {
  memory ??= new Map(Object.entries(readJsonCache<Record<string, Effect[]>>(file()) ?? {}))
  return memory
}

function file(): string | undefined {
  const root = cacheRoot()
  // One file per build of the engine: inference rules change with the code.
  return root ? join(root, `effects-${engineStamp().slice(0, 16)}.json`) : undefined
}

function keyOf(script: string, env: Env): string {
  return JSON.stringify([script, env.HOME ?? '', env.USER ?? ''])
}
