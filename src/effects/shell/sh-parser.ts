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
import {readFile} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {setFlagsFromString} from 'node:v8'
import {getProcessor, type File} from 'sh-syntax'

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
    const bytes = await readFile(createRequire(import.meta.url).resolve('sh-syntax/main.wasm'))
    return wasm.compile(bytes)
  })()
  return compiled
}

const processor = getProcessor(async (imports: unknown) => wasm.instantiate(await shellParserModule(), imports))

/** The syntax tree of a bash script; throws sh-syntax's ParseError on a syntax error. */
export function parseShell(text: string): Promise<File> {
  return processor(text)
}
