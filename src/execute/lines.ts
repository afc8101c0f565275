/**
 * Cuts a step's byte stream into blocks of whole lines for the reporter (the
 * log takes the bytes themselves). A block is what one chunk of the stream
 * completes: every line that ended in it. It keeps the bytes (views of the
 * chunk, no copy) and decodes them only when someone asks for its text: the
 * plain reporter shows printable ASCII as the bytes it is, so a flood of a
 * million lines is a few thousand blocks, with no string made at all. The
 * start of a line whose newline has not come yet is held back (so a line
 * split across chunks is shown once, whole), and a line with no newline in
 * sight is cut every `maxLine` bytes rather than held without bound.
 */

import {isAscii} from 'node:buffer'

const NL = 0x0a
const NOTHING = Buffer.alloc(0)
const NEWLINE = Buffer.from('\n')

/** Whole lines of output. */
export interface OutputBlock {
  /** The lines decoded as UTF-8 (invalid bytes as U+FFFD), joined by `\n` (none after the last). */
  readonly text: string
  /**
   * The same lines as the step wrote them, in pieces of whole lines, each
   * line ending in `\n`. Absent where the lines are not the stream's own
   * (a line cut at `maxLine`, a terminal's screen).
   */
  readonly bytes?: readonly Buffer[]
  /** Its last `n` lines, oldest first. */
  lastLines(n: number): string[]
}

/** A block of text only (a pseudo-terminal's line, a long line's pieces). */
export class TextBlock implements OutputBlock {
  constructor(readonly text: string) {}

  lastLines(n: number): string[] {
    return lastLines(this.text, n)
  }
}

/** A block of the stream's own bytes: decoded on first use of `text`. */
export class ByteBlock implements OutputBlock {
  private decoded: string | undefined

  constructor(readonly bytes: readonly Buffer[]) {}

  get text(): string {
    if (this.decoded === undefined) {
      const text = this.bytes.map(decode).join('')
      this.decoded = text.slice(0, -1)
    }
    return this.decoded
  }

  /** Decodes only the end of the block when its last piece holds `n` lines. */
  lastLines(n: number): string[] {
    if (this.decoded !== undefined || n <= 0) return lastLines(this.text, n)
    const last = this.bytes[this.bytes.length - 1]!
    let start = last.length - 1
    for (let found = 0; found < n && start !== -1; found++) start = start === 0 ? -1 : last.lastIndexOf(NL, start - 1)
    if (start === -1) return lastLines(this.text, n)
    return decode(last.subarray(start + 1, last.length - 1)).split('\n')
  }
}

/** UTF-8 (invalid bytes as U+FFFD); ASCII decodes the same as Latin-1, a byte to a character, at twice the speed. */
function decode(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8')
}

export class BlockSplitter {
  /** The start of a line that has not ended yet (a copy: the chunk it came from is not kept alive). */
  private rest: Buffer = NOTHING

  /** `maxLine`: the longest line, in bytes, shown as one; longer ones go out in pieces of that size. */
  constructor(private readonly maxLine = 64 * 1024) {}

  /** Bytes held back for a line that has not ended: never `maxLine` or more. */
  get held(): number {
    return this.rest.length
  }

  /** The lines `chunk` completes, as one block; undefined when it completes none. */
  push(chunk: Buffer): OutputBlock | undefined {
    if (chunk.length === 0) return undefined
    if (this.rest.length === 0) return this.split(chunk)
    // The held start of a line is joined to the chunk up to its first newline only: a short copy, not the whole chunk.
    const nl = chunk.indexOf(NL)
    if (nl === -1) return this.split(Buffer.concat([this.rest, chunk]))
    const first = this.split(Buffer.concat([this.rest, chunk.subarray(0, nl + 1)]))!
    const more = this.split(chunk.subarray(nl + 1))
    if (more === undefined) return first
    if (first.bytes && more.bytes) return new ByteBlock([...first.bytes, ...more.bytes])
    return new TextBlock(`${first.text}\n${more.text}`)
  }

  /** The stream ended: a last line that had no newline, if any. */
  end(): OutputBlock | undefined {
    const rest = this.rest
    this.rest = NOTHING
    return rest.length === 0 ? undefined : new ByteBlock([rest, NEWLINE])
  }

  /** `push` with nothing held: what ends in a newline goes out, the rest is held. */
  private split(buf: Buffer): OutputBlock | undefined {
    const last = buf.lastIndexOf(NL)
    let block = last === -1 ? undefined : this.whole(buf, last)
    // What follows the last newline waits for its own, up to maxLine bytes.
    let start = last + 1
    while (buf.length - start >= this.maxLine) {
      const cut = charStart(buf, start + this.maxLine, start)
      const piece = decode(buf.subarray(start, cut))
      block = new TextBlock(block === undefined ? piece : `${block.text}\n${piece}`)
      start = cut
    }
    this.rest = start === buf.length ? NOTHING : Buffer.copyBytesFrom(buf, start)
    return block
  }

  /**
   * The lines in `buf[0, end]` (`buf[end]` is a newline), as they are unless
   * one of them is longer than maxLine. To know, it jumps from newline to the
   * last newline within maxLine + 1 bytes: a couple of searches per chunk,
   * none per line.
   */
  private whole(buf: Buffer, end: number): OutputBlock {
    const max = this.maxLine
    for (let pos = -1; end - pos - 1 > max; ) {
      const nl = buf.lastIndexOf(NL, pos + max + 1)
      if (nl <= pos) return new TextBlock(this.cutLong(buf, end))
      pos = nl
    }
    return new ByteBlock([buf.subarray(0, end + 1)])
  }

  /** The slow way, for a block holding a line over maxLine: line by line, the long ones in pieces. */
  private cutLong(buf: Buffer, end: number): string {
    const max = this.maxLine
    const lines: string[] = []
    for (let start = 0; start <= end; ) {
      const nl = buf.indexOf(NL, start)
      while (nl - start > max) {
        const cut = charStart(buf, start + max, start)
        lines.push(decode(buf.subarray(start, cut)))
        start = cut
      }
      lines.push(decode(buf.subarray(start, nl)))
      start = nl + 1
    }
    return lines.join('\n')
  }
}

/**
 * `at`, moved back to the first byte of the UTF-8 character it falls in (a
 * character is never cut in two), but not to or before `min`, nor more than
 * three bytes (bytes that are not UTF-8 are cut where they are).
 */
function charStart(buf: Buffer, at: number, min: number): number {
  for (let p = at; p > min && p > at - 4; p--) {
    if ((buf[p]! & 0xc0) !== 0x80) return p
  }
  return at
}

/** The last `n` lines of a block, oldest first, found from its end: a block of a thousand lines costs `n` searches. */
export function lastLines(block: string, n: number): string[] {
  const lines: string[] = []
  let end = block.length
  while (lines.length < n) {
    const nl = end === 0 ? -1 : block.lastIndexOf('\n', end - 1)
    lines.push(block.slice(nl + 1, end))
    if (nl === -1) break
    end = nl
  }
  return lines.reverse()
}

/** How many lines a block holds (one more than its newlines). */
export function countLines(block: string): number {
  let n = 1
  for (let nl = block.indexOf('\n'); nl !== -1; nl = block.indexOf('\n', nl + 1)) n++
  return n
}

/** The last `size` lines of a step's output, for the failure report. */
export class OutputTail {
  private kept: string[] = []

  constructor(private readonly size: number) {}

  push(block: string | OutputBlock): void {
    const fresh = typeof block === 'string' ? lastLines(block, this.size) : block.lastLines(this.size)
    this.kept = fresh.length >= this.size ? fresh : [...this.kept, ...fresh].slice(-this.size)
  }

  /** Oldest first. */
  lines(): string[] {
    return [...this.kept]
  }
}
