/**
 * The parser and the graph builder for a page's first analysis, with V8's
 * cache of their compiled code. A first dry-run spends most of its time in
 * code that runs for the first time (micromark, the graph's rules): V8 must
 * parse and compile each function as it is first called. The build bundles
 * the two into `dist/analysis.cjs` and runs them once over the shipped
 * runbooks, then keeps V8's code for every function compiled by then
 * (`dist/analysis.cjs.<build>.v8cache`); here the bundle is compiled with that data,
 * so those functions start compiled. Node 20 has no such cache for ES
 * modules (`module.enableCompileCache` is Node 22's), hence a CommonJS
 * script run through `vm.Script`.
 *
 * V8 takes cached code only when it was made under the same V8 version and
 * flags; otherwise it compiles as usual (`codeCacheState()` says which). The
 * flags the page's analysis wants are therefore set before the compile, here,
 * and the build sets them the same way. The bundle's own copy of the engine's
 * error classes is replaced by the ES modules' (`require('runbook:errors')`,
 * see the build), so `instanceof RunbookError` still holds for what it throws.
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname} from 'node:path'
import {fileURLToPath} from 'node:url'
import {setFlagsFromString} from 'node:v8'
import {Script} from 'node:vm'
import {engineStamp} from '../cache.js'
import {RunbookError, UsageError} from '../errors.js'
import type {buildGraph} from '../graph/index.js'
import type {parseFile} from '../parse/index.js'

export interface Analysis {
  parseFile: typeof parseFile
  buildGraph: typeof buildGraph
}

/** What V8 did with the cached code: used it, refused it (another Node or other flags), or there was none (or no bundle). */
export type CodeCacheState = 'accepted' | 'rejected' | 'absent'

const bundleFile = fileURLToPath(new URL('../analysis.cjs', import.meta.url))
/**
 * Named with the build's stamp: V8 checks that cached code fits its source by
 * the source's length only, so code kept from another build must never be found.
 */
const defaultCacheFile = () => `${bundleFile}.${engineStamp().slice(0, 16)}.v8cache`

/**
 * What the bundle gets for `require('runbook:errors')`: every export of
 * errors.ts (test/cli/code-cache.test.ts holds them equal). Named, not a
 * namespace import, which would have put a helper of the bundler's into the
 * core and one more file into every run.
 */
export const engineErrors = {RunbookError, UsageError}

let loaded: {analysis: Analysis; script?: Script; state: CodeCacheState} | undefined

/**
 * The parse and the graph run hundreds of regular expressions (lexicons in
 * several languages, Unicode classes) a few times each. V8 first runs each in
 * its bytecode interpreter and compiles it only once it proves hot; for
 * these, compiling at first use halves the graph's time on a first run (70–80
 * → 40–45 ms on the reference page, measured alternating). Not set for a
 * cached graph, where the few expressions that run are cheaper interpreted.
 * The flag holds from here on, for the whole process; and it is part of the
 * flags V8 compares before it takes cached code.
 */
function setAnalysisFlags(): void {
  setFlagsFromString('--no-regexp-tier-up')
}

/** `cacheFile`: where the compiled code is read from (tests give another). */
export async function loadAnalysis(cacheFile = defaultCacheFile()): Promise<Analysis> {
  if (loaded) return loaded.analysis
  setAnalysisFlags()
  let source: string
  try {
    source = readFileSync(bundleFile, 'latin1')
  } catch {
    // Run from the sources (tests), or a build without the bundle: the modules themselves.
    const [{parseFile}, {buildGraph}] = await Promise.all([import('../parse/index.js'), import('../graph/index.js')])
    loaded = {analysis: {parseFile, buildGraph}, state: 'absent'}
    return loaded.analysis
  }
  let cachedData: Buffer | undefined
  try {
    cachedData = readFileSync(cacheFile)
  } catch {
    cachedData = undefined
  }
  // The bundle is ASCII (the build writes it so), hence latin1: no UTF-8 decoding.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {filename: bundleFile, cachedData})
  const state: CodeCacheState = !cachedData ? 'absent' : script.cachedDataRejected ? 'rejected' : 'accepted'
  const module = {exports: {} as Analysis}
  const requireFromBundle = createRequire(bundleFile)
  const require = (id: string) => (id === 'runbook:errors' ? engineErrors : requireFromBundle(id))
  script.runInThisContext()(module.exports, require, module, bundleFile, dirname(bundleFile))
  loaded = {analysis: module.exports, script, state}
  return loaded.analysis
}

export function codeCacheState(): CodeCacheState | undefined {
  return loaded?.state
}

/** For the build: the code V8 has compiled for the bundle so far, written where a later process finds it. */
export function saveCodeCache(cacheFile = defaultCacheFile()): void {
  if (!loaded?.script) throw new Error(`no bundle to take compiled code from (${bundleFile})`)
  writeFileSync(cacheFile, loaded.script.createCachedData())
}
