/**
 * Effects depend on the script text (and the HOME and USER it expands) alone,
 * so they are kept by hash in `~/.cache/runbook/effects-<build>.json`. A run or a
 * dry-run whose commands were seen before never loads the shell parser, whose
 * WebAssembly heap also makes every later process spawn slower.
 */
import {createHash} from 'node:crypto'
import {join} from 'node:path'
import {cacheRoot, engineStamp, readJsonCache, writeJsonCache} from '../../cache.js'
import type {Effect} from './effect-types.js'

type Env = {HOME?: string; USER?: string}

let memory: Map<string, Effect[]> | undefined

export async function cachedEffects(script: string, env: Env = {}): Promise<Effect[]> {
  const known = load()
  const key = keyOf(script, env)
  const hit = known.get(key)
  if (hit) return hit
  const {inferEffects} = await import('./effects.js')
  const effects = await inferEffects(script, {env})
  known.set(key, effects)
  if (known.size <= 50_000) writeJsonCache(file(), Object.fromEntries(known))
  return effects
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
  return createHash('sha256').update(JSON.stringify([script, env.HOME ?? '', env.USER ?? ''])).digest('hex').slice(0, 32)
}
