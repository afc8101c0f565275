/**
 * Cuts a step's byte stream into blocks of whole lines for the reporter (the
 * log takes the bytes themselves). A block is what one chunk of the stream
 * completes: every line that ended in it, decoded as UTF-8 once, joined by
 * `\n`. A flood of a million lines is then a few thousand blocks, with no
 * string made per line. The start of a line whose newline has not come yet
 * is held back (so a line split across chunks is shown once, whole), and a
 * line with no newline in sight is cut every `maxLine` bytes rather than held
 * without bound.
 */

import {isAscii} from 'node:buffer'
import {isPrintableAscii} from './printable-ascii.js'

const NL = 0x0a
const NOTHING = Buffer.alloc(0)

/** Whole lines of output, joined by `\n` (none after the last). */
export interface Block {
  text: string
  /** Only printable ASCII, tabs and newlines: nothing in it to make visible before it is shown. */
  printable: boolean
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

  /** Every byte decoded since the last push or end was printable ASCII. */
  private printable = true

  /** The lines `chunk` completes, as one block; undefined when it completes none. */
  push(chunk: Buffer): Block | undefined {
    this.printable = true
    const text = this.join(chunk)
    return text === undefined ? undefined : {text, printable: this.printable}
  }

  /** The stream ended: a last line that had no newline, if any. */
  end(): Block | undefined {
    const rest = this.rest
    this.rest = NOTHING
    this.printable = true
    if (rest.length === 0) return undefined
    const text = this.decode(rest, 0, rest.length)
    return {text, printable: this.printable}
  }

  private join(chunk: Buffer): string | undefined {
    if (chunk.length === 0) return undefined
    if (this.rest.length === 0) return this.split(chunk)
    // The held start of a line is joined to the chunk up to its first newline only: a short copy, not the whole chunk.
    const nl = chunk.indexOf(NL)
    if (nl === -1) return this.split(Buffer.concat([this.rest, chunk]))
    const first = this.split(Buffer.concat([this.rest, chunk.subarray(0, nl + 1)]))
    const more = this.split(chunk.subarray(nl + 1))
    return more === undefined ? first : `${first!}\n${more}`
  }

  /** `push` with nothing held: what ends in a newline goes out, the rest is held. */
  private split(buf: Buffer): string | undefined {
    const last = buf.lastIndexOf(NL)
    let text = last === -1 ? undefined : this.whole(buf, last)
    // What follows the last newline waits for its own, up to maxLine bytes.
    let start = last + 1
    while (buf.length - start >= this.maxLine) {
      const cut = charStart(buf, start + this.maxLine, start)
      const piece = this.decode(buf, start, cut)
      text = text === undefined ? piece : `${text}\n${piece}`
      start = cut
    }
    this.rest = start === buf.length ? NOTHING : Buffer.from(buf.subarray(start))
    return text
  }

  /**
   * The lines in `buf[0, end)` (`buf[end]` is a newline), decoded in one
   * piece unless one of them is longer than maxLine. To know, it jumps from
   * newline to the last newline within maxLine + 1 bytes: a couple of
   * searches per chunk, none per line.
   */
  private whole(buf: Buffer, end: number): string {
    const max = this.maxLine
    for (let pos = -1; end - pos - 1 > max; ) {
      const nl = buf.lastIndexOf(NL, pos + max + 1)
      if (nl <= pos) return this.cutLong(buf, end)
      pos = nl
    }
    return this.decode(buf, 0, end)
  }

  /**
   * UTF-8 (invalid bytes as U+FFFD). Output is mostly ASCII, which decodes the
   * same as Latin-1, a byte to a character, at twice the speed.
   */
  private decode(buf: Buffer, start: number, end: number): string {
    const bytes = buf.subarray(start, end)
    if (isPrintableAscii(bytes)) return buf.toString('latin1', start, end)
    this.printable = false
    return isAscii(bytes) ? buf.toString('latin1', start, end) : buf.toString('utf8', start, end)
  }

  /** The slow way, for a block holding a line over maxLine: line by line, the long ones in pieces. */
  private cutLong(buf: Buffer, end: number): string {
    const max = this.maxLine
    const lines: string[] = []
    for (let start = 0; start <= end; ) {
      const nl = buf.indexOf(NL, start)
      while (nl - start > max) {
        const cut = charStart(buf, start + max, start)
        lines.push(this.decode(buf, start, cut))
        start = cut
      }
      lines.push(this.decode(buf, start, nl))
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

  push(block: string): void {
    const fresh = lastLines(block, this.size)
    this.kept = fresh.length >= this.size ? fresh : [...this.kept, ...fresh].slice(-this.size)
  }

  /** Oldest first. */
  lines(): string[] {
    return [...this.kept]
  }
}
