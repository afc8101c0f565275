/**
 * Is a block of output only printable ASCII, tabs and newlines? Most output
 * floods are, and such a block can be shown as it is: no control character
 * to make visible, nothing to decode but Latin-1. The reporter would
 * otherwise run a regular expression over every byte shown, which cost as
 * much as everything else the runner does with a step's output.
 *
 * The check runs as WebAssembly SIMD, 16 bytes a step (ten times the speed
 * of the regular expression). The module is small enough to write out here,
 * instruction by instruction: `scan(len)` reads the first `len` bytes of its
 * memory (`len` a multiple of 16) and returns 1 when every byte is 0x20–0x7e,
 * a tab or a newline, else 0. Where WebAssembly SIMD is missing, a plain loop
 * gives the same answer.
 */
import {isAscii} from 'node:buffer'

const TAB = 0x09
const NL = 0x0a

/** WebAssembly as used here (the project's type libraries have no DOM, where its types live). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object) => {exports: {memory: {buffer: ArrayBuffer}; scan(len: number): number}}
}

const splat = (byte: number) => new Array<number>(16).fill(byte)

// Locals: 0 = len (the parameter), 1 = i, 2 = v (the 16 bytes at i).
const SCAN_BODY = [
  0x02, 0x40, // block
  0x03, 0x40, //   loop
  0x20, 0x01, 0x20, 0x00, 0x4f, 0x0d, 0x01, // if i >= len: leave the block (all plain)
  0x20, 0x01, 0xfd, 0x00, 0x00, 0x00, 0x22, 0x02, // v = v128.load(i)
  0xfd, 0x0c, ...splat(0x20), 0xfd, 0x71, // v - 0x20 (wrapping): printable bytes become 0x00–0x5e
  0xfd, 0x0c, ...splat(0x5f), 0xfd, 0x2c, // out = (v - 0x20) >= 0x5f, unsigned: a control, DEL or not ASCII
  0x20, 0x02, 0xfd, 0x0c, ...splat(TAB), 0xfd, 0x23, // v == tab
  0x20, 0x02, 0xfd, 0x0c, ...splat(NL), 0xfd, 0x23, // v == newline
  0xfd, 0x50, 0xfd, 0x4f, 0xfd, 0x53, // any_true(out & ~(tab | newline))
  0x04, 0x40, 0x41, 0x00, 0x0f, 0x0b, // if so: return 0
  0x20, 0x01, 0x41, 0x10, 0x6a, 0x21, 0x01, // i += 16
  0x0c, 0x00, // next
  0x0b, 0x0b, // end loop, end block
  0x41, 0x01, // return 1
  0x0b,
]

function leb128(n: number): number[] {
  return n < 0x80 ? [n] : [(n & 0x7f) | 0x80, ...leb128(n >>> 7)]
}

function section(id: number, bytes: number[]): number[] {
  return [id, ...leb128(bytes.length), ...bytes]
}

function moduleBytes(): Uint8Array {
  const code = [0x02, 0x01, 0x7f, 0x01, 0x7b, ...SCAN_BODY] // locals: one i32, one v128
  const name = (text: string) => [text.length, ...Buffer.from(text)]
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // \0asm, version 1
    ...section(1, [0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f]), // type: (i32) -> i32
    ...section(3, [0x01, 0x00]), // one function of that type
    ...section(5, [0x01, 0x00, 0x01]), // one memory, one page to start
    ...section(7, [0x02, ...name('memory'), 0x02, 0x00, ...name('scan'), 0x00, 0x00]),
    ...section(10, [0x01, ...leb128(code.length), ...code]),
  ])
}

type Scanner = (bytes: Uint8Array) => boolean

const PAGE = 64 * 1024

function simdScanner(): Scanner | undefined {
  const wasm = (globalThis as unknown as {WebAssembly?: WasmApi}).WebAssembly
  if (!wasm) return undefined
  let exports: ReturnType<typeof instantiate>
  function instantiate() {
    return new wasm!.Instance(new wasm!.Module(moduleBytes())).exports
  }
  try {
    exports = instantiate()
  } catch {
    // No SIMD here (an old CPU or V8 without it): the module does not compile.
    return undefined
  }
  // One page of memory, the bytes scanned a page at a time: it never grows.
  const memory = new Uint8Array(exports.memory.buffer)
  return (bytes) => {
    for (let start = 0; start < bytes.length; start += PAGE) {
      const window = bytes.subarray(start, start + PAGE)
      const padded = (window.length + 15) & ~15
      memory.set(window)
      // The last lane is filled out with spaces, which are plain.
      memory.fill(0x20, window.length, padded)
      if (exports.scan(padded) !== 1) return false
    }
    return true
  }
}

function loopScanner(bytes: Uint8Array): boolean {
  if (!isAscii(bytes)) return false
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!
    if ((b < 0x20 && b !== TAB && b !== NL) || b === 0x7f) return false
  }
  return true
}

let scanner: Scanner | undefined

/** True when every byte is printable ASCII (0x20–0x7e), a tab or a newline. */
export function isPrintableAscii(bytes: Uint8Array): boolean {
  scanner ??= simdScanner() ?? loopScanner
  return scanner(bytes)
}

/** The plain loop, for tests to hold the SIMD answer against. */
export const isPrintableAsciiSlowly: Scanner = loopScanner
