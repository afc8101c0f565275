/**
 * The plain reporter shows each line of a step's output behind a bar
 * (`  | line`). Done on strings, a flood cost a UTF-8 decode, a replace and
 * an encode per block, and the garbage collector moved those strings around:
 * most of the runner's time. Here the bytes the step wrote are framed as
 * bytes, in one pass of WebAssembly SIMD that also checks they are safe to
 * show as they are: only printable ASCII, tabs and newlines (anything else
 * returns "no" and goes the slow way, through `visible()`).
 *
 * The module is small enough to write out instruction by instruction:
 * `frame(len, tlen)` reads `len` bytes at IN (a multiple of 16, padded with
 * spaces), writes them at OUT with every newline replaced by the template at
 * 0 (`tlen` ≤ 32 bytes: the end of a line, `\n`, the start of the next), and
 * returns the length written, or -1 at the first byte that is not plain.
 * Sixteen bytes a step; a vector with newlines in it is copied piece by piece
 * between them. Where WebAssembly SIMD is missing, a plain loop gives the
 * same bytes.
 */

const TAB = 0x09
const NL = 0x0a
const SPACE = 0x20

/** WebAssembly as used here (the project's type libraries have no DOM, where its types live). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object) => {exports: {memory: {buffer: ArrayBuffer}; frame(len: number, tlen: number): number}}
}

/** The template: the end of one line, the newline and the start of the next. */
export const TEMPLATE_MAX = 32
/** Where the input goes (after the template), and the most taken at once: a block of one read (64 KiB) and the line held before it fit. */
const IN = 64
const WINDOW = 160 * 1024
/** Where the output goes: after the input and the 16 bytes a load may read past it. */
const OUT = IN + WINDOW + 64
/** Room for the output of one window, and for the 32 bytes a store may write past it. */
const OUT_ROOM = 5 * WINDOW + 64
const PAGES = Math.ceil((OUT + OUT_ROOM + 64) / 65536)

function leb128(n: number): number[] {
  return n < 0x80 ? [n] : [(n & 0x7f) | 0x80, ...leb128(n >>> 7)]
}

/** A signed LEB128 (i32.const's operand). */
function sleb128(n: number): number[] {
  const out: number[] = []
  for (;;) {
    const byte = n & 0x7f
    n >>= 7
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte]
    out.push(byte | 0x80)
  }
}

function section(id: number, bytes: number[]): number[] {
  return [id, ...leb128(bytes.length), ...bytes]
}

const splat = (byte: number) => new Array<number>(16).fill(byte)
const get = (i: number) => [0x20, i]
const set = (i: number) => [0x21, i]
const tee = (i: number) => [0x22, i]
const i32 = (n: number) => [0x41, ...sleb128(n)]
const load = (offset = 0) => [0xfd, 0x00, 0x00, ...leb128(offset)]
const store = (offset = 0) => [0xfd, 0x0b, 0x00, ...leb128(offset)]
const v128 = (byte: number) => [0xfd, 0x0c, ...splat(byte)]
const [ADD, SUB, AND, CTZ, EQZ, GE_U] = [0x6a, 0x6b, 0x71, 0x68, 0x45, 0x4f]
const simd = (op: number) => [0xfd, op]
const [EQ8, SUB8, GE_U8, OR, ANDNOT, ANY_TRUE, BITMASK] = [0x23, 0x71, 0x2c, 0x50, 0x4f, 0x53, 0x64].map(simd)
const [BLOCK, LOOP, IF, ELSE, END, BR, BR_IF, RETURN] = [[0x02, 0x40], [0x03, 0x40], [0x04, 0x40], [0x05], [0x0b], [0x0c], [0x0d], [0x0f]]

// Parameters 0 = len, 1 = tlen; locals 2 = i, 3 = o, 4 = end, 5 = newline mask, 6 = seg (start of the piece not yet copied), 7 = p (a newline), 8 = v (16 bytes at i), 9 and 10 = the template.
const FRAME_BODY = [
  ...i32(0), ...load(0), ...set(9),
  ...i32(0), ...load(16), ...set(10),
  ...i32(IN), ...set(2),
  ...i32(OUT), ...set(3),
  ...get(0), ...i32(IN), ADD, ...set(4),
  ...BLOCK,
  ...LOOP,
  ...get(2), ...get(4), GE_U, ...BR_IF, 1, // all read: done
  ...get(2), ...load(), ...tee(8),
  ...v128(SPACE), ...SUB8, ...v128(0x5f), ...GE_U8, // (v - 0x20) >= 0x5f, unsigned: a control, DEL or not ASCII
  ...get(8), ...v128(TAB), ...EQ8,
  ...get(8), ...v128(NL), ...EQ8,
  ...OR, ...ANDNOT, ...ANY_TRUE, // any such byte that is not a tab or a newline
  ...IF, ...i32(-1), ...RETURN, ...END,
  ...get(8), ...v128(NL), ...EQ8, ...BITMASK, ...tee(5),
  EQZ,
  ...IF, // no newline: the 16 bytes as they are
  ...get(3), ...get(8), ...store(),
  ...get(3), ...i32(16), ADD, ...set(3),
  ...ELSE,
  ...get(2), ...set(6),
  ...LOOP, // each newline, lowest first
  ...get(2), ...get(5), CTZ, ADD, ...set(7),
  ...get(3), ...get(6), ...load(), ...store(), // the piece before it (fewer than 16 bytes; the rest is overwritten next)
  ...get(3), ...get(7), ADD, ...get(6), SUB, ...set(3),
  ...get(3), ...get(9), ...store(),
  ...get(3), ...get(10), ...store(16),
  ...get(3), ...get(1), ADD, ...set(3),
  ...get(7), ...i32(1), ADD, ...set(6),
  ...get(5), ...get(5), ...i32(1), SUB, AND, ...tee(5),
  ...BR_IF, 0,
  ...END,
  ...get(3), ...get(6), ...load(), ...store(), // the piece after the last newline
  ...get(3), ...get(2), ...i32(16), ADD, ...get(6), SUB, ADD, ...set(3),
  ...END,
  ...get(2), ...i32(16), ADD, ...set(2),
  ...BR, 0,
  ...END,
  ...END,
  ...get(3), ...i32(OUT), SUB,
  ...END,
]

function moduleBytes(): Uint8Array {
  const code = [0x02, 0x06, 0x7f, 0x03, 0x7b, ...FRAME_BODY] // locals: six i32, three v128
  const name = (text: string) => [text.length, ...Buffer.from(text)]
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // \0asm, version 1
    ...section(1, [0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f]), // type: (i32, i32) -> i32
    ...section(3, [0x01, 0x00]), // one function of that type
    ...section(5, [0x01, 0x00, PAGES]), // one memory, fixed
    ...section(7, [0x02, ...name('memory'), 0x02, 0x00, ...name('frame'), 0x00, 0x00]),
    ...section(10, [0x01, ...leb128(code.length), ...code]),
  ])
}

/**
 * Calls `sink` with `bytes`, every newline replaced by `template`, when every
 * byte is printable ASCII, a tab or a newline; returns false (and calls
 * nothing) otherwise. The view `sink` gets is good during the call only.
 */
type Framer = (bytes: Uint8Array, template: Uint8Array, sink: (framed: Uint8Array) => void) => boolean

function simdFramer(): Framer | undefined {
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
  const memory = new Uint8Array(exports.memory.buffer)
  /** One window: the framed bytes' length in memory at OUT, or -1. */
  const window = (part: Uint8Array, tlen: number): number => {
    const padded = (part.length + 15) & ~15
    memory.set(part, IN)
    // The last lane is filled out with spaces: plain, and no newline; they are cut off the output.
    memory.fill(SPACE, IN + part.length, IN + padded)
    const written = exports.frame(padded, tlen)
    return written < 0 ? -1 : written - (padded - part.length)
  }
  return (bytes, template, sink) => {
    memory.set(template)
    // A window's output must fit its room: each input byte gives at most the template's length.
    const size = Math.min(WINDOW, Math.floor((OUT_ROOM - TEMPLATE_MAX) / Math.max(1, template.length)) & ~15)
    if (bytes.length <= size) {
      const written = window(bytes, template.length)
      if (written < 0) return false
      sink(memory.subarray(OUT, OUT + written))
      return true
    }
    // Several windows: each one's output is kept until all are known to be plain.
    const pieces: Buffer[] = []
    for (let start = 0; start < bytes.length; start += size) {
      const written = window(bytes.subarray(start, start + size), template.length)
      if (written < 0) return false
      const piece = Buffer.allocUnsafe(written)
      piece.set(memory.subarray(OUT, OUT + written))
      pieces.push(piece)
    }
    for (const piece of pieces) sink(piece)
    return true
  }
}

function loopFramer(bytes: Uint8Array, template: Uint8Array, sink: (framed: Uint8Array) => void): boolean {
  let lines = 0
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!
    if ((b < SPACE && b !== TAB && b !== NL) || b > 0x7e) return false
    if (b === NL) lines++
  }
  const out = Buffer.allocUnsafe(bytes.length + lines * (template.length - 1))
  let o = 0
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!
    if (b === NL) {
      out.set(template, o)
      o += template.length
    } else out[o++] = b
  }
  sink(out)
  return true
}

let framer: Framer | undefined

/**
 * Calls `sink` with `bytes` (lines of output, without the last one's
 * newline), every newline replaced by `template`, when every byte is
 * printable ASCII, a tab or a newline; returns false and calls nothing
 * otherwise (such output must be made visible first). What `sink` gets is
 * good during the call only.
 */
export function frameLines(bytes: Uint8Array, template: Uint8Array, sink: (framed: Uint8Array) => void): boolean {
  if (template.length > TEMPLATE_MAX) return loopFramer(bytes, template, sink)
  framer ??= simdFramer() ?? loopFramer
  return framer(bytes, template, sink)
}

/** The plain loop, for tests to hold the SIMD answer against. */
export const frameLinesSlowly: Framer = loopFramer
