/**
 * sh-syntax's `parse`, made cheap for a command-line tool. sh-syntax compiles
 * its 750 KB WebAssembly (mvdan/sh built with Go) again on every call; here it
 * is compiled once per process and instantiated per call (a few ms). And V8's
 * optimizing tier would recompile the Go runtime's hot functions on other
 * threads while a first parse runs, which costs more CPU than the parse: a
 * process that parses a few scripts and exits is better served by baseline
 * code compiled as each function is first called (the first parse of a run:
 * about 390 → 110 ms of CPU). The flags are V8's, for the whole process; the
 * only other WebAssembly the engine loads is the terminal UI's layout engine,
 * which does little work per frame.
 */
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {pathToFileURL} from 'node:url'
import {setFlagsFromString} from 'node:v8'
import type {File} from 'sh-syntax'

const require = createRequire(import.meta.url)

/** The WebAssembly API as used here (the project's type libraries have no DOM, where its types live). */
interface Wasm {
  compile(bytes: Uint8Array): Promise<object>
  instantiate(module: object, imports: unknown): Promise<never>
}
const wasm = (globalThis as unknown as {WebAssembly: Wasm}).WebAssembly

let compiled: Promise<object> | undefined

function shellParserModule(): Promise<object> {
  compiled ??= (async () => {
    setFlagsFromString('--liftoff-only')
    setFlagsFromString('--wasm-lazy-compilation')
    return wasm.compile(readFileSync(require.resolve('sh-syntax/main.wasm')))
  })()
  return compiled
}

/**
 * sh-syntax's build without its Node shim: the package's Node entry imports
 * node:crypto, node:perf_hooks and node:fs/promises only to fill globals that
 * Node 20 has (crypto, performance) or that the Go runtime's loader fills
 * itself (fs); node:crypto and node:fs/promises cost a first dry-run about
 * 10 ms (perf_hooks still comes in, through the global the Go runtime reads
 * its clock from).
 * The same loader and processor as the package's `browser` build: the Go
 * runtime's loader (CommonJS, which defines the global `Go`) by `require`,
 * where an `import` of it (as the browser entry does) made Node load and run
 * its CommonJS export scanner first (about 8 ms on a first dry-run); then the
 * processor, by path (the package exports only its entries).
 */
async function loadProcessor(): Promise<(text: string) => Promise<File>> {
  require('sh-syntax/vendors/wasm_exec.cjs')
  const file = require.resolve('sh-syntax/package.json').replace(/package\.json$/, 'lib/processor.js')
  const {getProcessor} = (await import(pathToFileURL(file).href)) as typeof import('sh-syntax')
  return getProcessor(async (imports: unknown) => wasm.instantiate(await shellParserModule(), imports))
}

let processor: Promise<(text: string) => Promise<File>> | undefined

/**
 * The parser, once it is loaded and its WebAssembly compiled: a script's
 * syntax tree, or sh-syntax's ParseError on a syntax error. Loading is kept
 * apart from parsing so that a broken install fails as itself, never as a
 * syntax error in the page.
 */
export async function shellParser(): Promise<(text: string) => Promise<File>> {
  processor ??= Promise.all([loadProcessor(), shellParserModule()]).then(([parse]) => parse)
  return processor
}
